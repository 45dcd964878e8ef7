using Mixnet.Directory.Cli.Infrastructure;
using Mixnet.Directory.Cli.Keys;
using Mixnet.Directory.Cli.Rendering;
using Mixnet.Directory.Client;
using Mixnet.Directory.Signing;
using Spectre.Console.Cli;

namespace Mixnet.Directory.Cli.Commands;

/// <summary><c>mixdir keygen</c>: a new node identity (Ed25519 identity and X25519 sphinx key) saved to a file.</summary>
public sealed class KeygenCommand(CliConsole console) : Command<KeygenSettings>
{
    public override int Execute(CommandContext context, KeygenSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var path = Path.GetFullPath(settings.Out);
        using var identity = NodeIdentity.Generate();
        var problem = KeyFileTarget.Check(settings.Out, settings.Force, " (use --force to replace it)")
            ?? KeyFileTarget.TryWrite(settings.Out, identity.Save);
        if (problem is not null)
        {
            console.WriteError(problem);
            return ExitCodes.BadInput;
        }

        var output = console.RawOut;
        if (settings.Format == OutputFormat.Json)
        {
            JsonOut.Write(output, json =>
            {
                json.WriteString("path", path);
                json.WriteString("identity_key", identity.IdentityHex);
                json.WriteString("sphinx_key", KeyFingerprint.Hex(identity.SphinxKey.Span));
            });
            return ExitCodes.Success;
        }

        output.WriteLine($"saved      {path}");
        output.WriteLine($"identity   {identity.IdentityHex}");
        output.WriteLine($"sphinx key {KeyFingerprint.Hex(identity.SphinxKey.Span)}");
        output.Flush();
        return ExitCodes.Success;
    }
}
