using System.ComponentModel;
using Mixnet.Directory.Cli.Infrastructure;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Mixnet.Directory.Cli.Commands;

/// <summary>Options of <c>mixdir node &lt;id&gt;</c>.</summary>
public sealed class NodeSettings : DirectorySettings
{
    [CommandArgument(0, "<ID>")]
    [Description("The node: a unique prefix of its hex id (the 8 digits tables show), or its full identity key (64 hex digits or base64).")]
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
