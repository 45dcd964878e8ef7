using Mixnet.Directory.Cli.Rendering;
using Spectre.Console;

namespace Mixnet.Directory.Cli.Commands;

/// <summary>
/// Options of <c>mixdir descriptor sign</c>: those of <c>node register</c>, offline. The directory
/// options come with the shared base class (Spectre.Console.Cli binds options to inherited
/// properties), so they are refused here rather than silently ignored.
/// </summary>
public sealed class DescriptorSignSettings : DescriptorSettings
{
    /// <summary>The point of the command is the JSON request; -o table shows the descriptor for people instead.</summary>
    protected override OutputFormat DefaultFormat => OutputFormat.Json;

    public override ValidationResult Validate()
    {
        var given = new[] { (Directory, "--directory"), (DirectoryKey, "--directory-key"), (Timeout, "--timeout") }.FirstOrDefault(o => o.Item1 is not null).Item2;
        return given is not null
            ? ValidationResult.Error($"{given}: 'descriptor sign' talks to no directory; post its output to one (see 'mixdir node register' to register directly).")
            : base.Validate();
    }
}
