using Google.Protobuf;
using Grpc.Core;
using Mixnet.Directory.Cli.Infrastructure;
using Mixnet.Directory.Cli.Rendering;
using Mixnet.Directory.Client;
using Mixnet.Directory.V1;

namespace Mixnet.Directory.Cli.Commands;

/// <summary><c>mixdir node heartbeat</c>: renews the node's lease once; prints the TTL it now has.</summary>
public sealed class NodeHeartbeatCommand(CliConsole console) : NodeCallCommand<NodeLeaseSettings>(console)
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
        var request = new HeartbeatRequest
        {
            IdentityKey = ByteString.CopyFrom(identity.IdentityKey.Span),
            LeaseToken = ByteString.CopyFrom(settings.ResolveLease(Console.Environment, out _)),
        };
        var response = await new PresenceService.PresenceServiceClient(invoker).HeartbeatAsync(request, session.Target.CallOptions(cancellationToken));
        var ttl = response.Ttl?.ToTimeSpan() ?? TimeSpan.Zero;
        if (settings.Format == OutputFormat.Json)
        {
            JsonOut.Write(Console.RawOut, json =>
            {
                json.WriteString("identity_key", identity.IdentityHex);
                json.WriteSeconds("ttl_seconds", ttl);
                json.WriteNumber("topology_version", response.TopologyVersion);
            });
            return ExitCodes.Success;
        }

        new Fields()
            .Add("heartbeat", identity.IdentityHex)
            .Add("ttl", Format.Duration(ttl))
            .Add("topology version", response.TopologyVersion.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .WriteTo(Console.RawOut);
        return ExitCodes.Success;
    }
}
