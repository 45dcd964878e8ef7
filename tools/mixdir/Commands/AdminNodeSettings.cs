using System.ComponentModel;
using Mixnet.Directory.Cli.Infrastructure;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Mixnet.Directory.Cli.Commands;

/// <summary>Options of <c>mixdir admin unban</c>, and the base of <c>admin ban</c>'s: one node's identity.</summary>
public class AdminNodeSettings : AdminSettings
{
    [CommandArgument(0, "<ID>")]
    [Description("The node's full identity key (64 hex digits or base64), or a unique prefix of the hex id of a node in the topology.")]
    public string Identity { get; init; } = "";

    public override ValidationResult Validate()
    {
        if (!NodeIds.IsValid(Identity))
        {
            return ValidationResult.Error(NodeIds.Invalid("ID", Identity));
        }

        return base.Validate();
    }
}
