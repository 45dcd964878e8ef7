using Google.Protobuf;
using Mixnet.Directory.Cli.Infrastructure;
using Mixnet.Directory.Cli.Nodes;
using Mixnet.Directory.Cli.Rendering;
using Mixnet.Directory.V1;
using Spectre.Console.Cli;

namespace Mixnet.Directory.Cli.Commands;

/// <summary>
/// <c>mixdir descriptor sign</c>: a signed <see cref="RegisterNodeRequest"/> as the protobuf JSON
/// mapping, which is the body <c>POST /v1/nodes:register</c> on the directory's Web port accepts.
/// So a node written in any language can register with an identity file and curl. Offline: it
/// talks to no directory. The signature covers signed_at, so the request is good only within the
/// directory's allowed clock skew (5 minutes by default).
/// </summary>
public sealed class DescriptorSignCommand(CliConsole console) : Command<DescriptorSignSettings>
{
    public override int Execute(CommandContext context, DescriptorSignSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        using var identity = DescriptorBuilder.LoadIdentity(settings.IdentityPath);
        var signedAt = DateTimeOffset.UtcNow;
        var request = DescriptorBuilder.Sign(settings, identity, signedAt);
        if (settings.Format == OutputFormat.Json)
        {
            console.RawOut.WriteLine(JsonFormatter.Default.Format(request));
            console.RawOut.Flush();
            return ExitCodes.Success;
        }

        var descriptor = NodeDescriptor.Parser.ParseFrom(request.Descriptor_);
        new Fields()
            .Add("identity key", identity.IdentityHex)
            .Add("role", descriptor.Role == NodeRole.Gateway ? "gateway" : "mixnode")
            .Add("layer", descriptor.Layer.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .Add("mix address", $"{descriptor.Host}:{descriptor.MixPort}")
            .Add("client port", descriptor.ClientPort.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .Add("version", descriptor.Version)
            .Add("location", descriptor.Location)
            .Add("signed at", Format.Time(signedAt))
            .Add("descriptor", Convert.ToBase64String(request.Descriptor_.Span))
            .Add("signature", Convert.ToBase64String(request.Signature.Span))
            .WriteTo(console.RawOut);
        return ExitCodes.Success;
    }
}
