using Google.Protobuf;
using Grpc.Core;
using Mixnet.Directory.Cli.Infrastructure;
using Mixnet.Directory.Cli.Rendering;
using Mixnet.Directory.Client;
using Mixnet.Directory.Signing;
using Mixnet.Directory.V1;

namespace Mixnet.Directory.Cli.Commands;

/// <summary><c>mixdir node deregister</c>: the node leaves the topology at once.</summary>
public sealed class NodeDeregisterCommand(CliConsole console) : NodeCallCommand<NodeLeaseSettings>(console)
{
    protected override string? CheckInput(NodeLeaseSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        settings.ResolveLease(Console.Environment, out var problem);
        return problem ?? base.CheckInput(settings);
    }

    protected override async Task<int> RunAsync(CallInvoker invoker, NodeIdentity identity, DirectorySession session, NodeLeaseSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(identity);
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(settings);
        var request = new DeregisterNodeRequest
        {
            IdentityKey = ByteString.CopyFrom(identity.IdentityKey.Span),
            LeaseToken = ByteString.CopyFrom(settings.ResolveLease(Console.Environment, out _)),
        };
        await new RegistryService.RegistryServiceClient(invoker).DeregisterNodeAsync(request, session.Target.CallOptions(cancellationToken));
        if (settings.Format == OutputFormat.Json)
        {
            JsonOut.Write(Console.RawOut, json =>
            {
                json.WriteString("identity_key", identity.IdentityHex);
                json.WriteBoolean("deregistered", true);
            });
            return ExitCodes.Success;
        }

        Console.RawOut.WriteLine($"deregistered {KeyFingerprint.Abbreviate(identity.IdentityKey.Span)}");
        Console.RawOut.Flush();
        return ExitCodes.Success;
    }
}
