using Mixnet.Directory.Cli.Infrastructure;
using Mixnet.Directory.Cli.Keys;
using Mixnet.Directory.Cli.Rendering;
using Mixnet.Directory.Signing;
using Spectre.Console.Cli;

namespace Mixnet.Directory.Cli.Commands;

/// <summary>
/// <c>mixdir authority keygen</c>: a new authority signing key, saved where the directory loads it
/// (<c>Directory:SigningKeyPath</c>), and the <c>Directory:Authorities:&lt;n&gt;</c> entry every
/// authority's configuration lists for it, as JSON and as environment variables.
/// </summary>
public sealed class AuthorityKeygenCommand(CliConsole console) : Command<AuthorityKeygenSettings>
{
    public override int Execute(CommandContext context, AuthorityKeygenSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var path = Path.GetFullPath(settings.Out!);
        byte[] publicKey = [];
        var problem = KeyFileTarget.Check(settings.Out!, force: false, forceHint: " (an authority key is its identity: move the old one away first)")
            ?? KeyFileTarget.TryWrite(settings.Out!, full => publicKey = AuthorityKeyFile.Create(full));
        if (problem is not null)
        {
            console.WriteError(problem);
            return ExitCodes.BadInput;
        }

        var hex = KeyFingerprint.Hex(publicKey);
        var address = settings.Address ?? "<this authority's gRPC URL>";
        var prefix = $"Directory__Authorities__{settings.Index}__";
        if (settings.Format == OutputFormat.Json)
        {
            JsonOut.Write(console.RawOut, json =>
            {
                json.WriteString("path", path);
                json.WriteString("public_key", hex);
                json.WriteString("fingerprint", KeyFingerprint.Of(publicKey));
                json.WriteStartObject("authority");
                json.WriteString("Name", settings.Name);
                json.WriteString("Key", hex);
                json.WriteString("Address", address);
                json.WriteEndObject();
            });
            return ExitCodes.Success;
        }

        var output = console.RawOut;
        output.WriteLine($"saved       {path}");
        output.WriteLine($"public key  {hex}");
        output.WriteLine();
        output.WriteLine("# This authority loads the key with:");
        output.WriteLine($"Directory__SigningKeyPath={path}");
        output.WriteLine();
        output.WriteLine($"# Every authority (this one too) lists it as Directory:Authorities:{settings.Index}; in appsettings.json (entry {settings.Index} of the array):");
        output.WriteLine(System.Text.Json.JsonSerializer.Serialize(new { Directory = new { Authorities = new[] { new { settings.Name, Key = hex, Address = address } } } }));
        output.WriteLine("# or environment variables:");
        output.WriteLine($"{prefix}Name={settings.Name}");
        output.WriteLine($"{prefix}Key={hex}");
        output.WriteLine($"{prefix}Address={address}");
        output.Flush();
        return ExitCodes.Success;
    }
}
