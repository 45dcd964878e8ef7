using Grpc.Core;
using Mixnet.Directory.Cli.Infrastructure;
using Mixnet.Directory.Cli.Nodes;
using Mixnet.Directory.Cli.Rendering;
using Mixnet.Directory.Client;
using Mixnet.Directory.Signing;
using Mixnet.Directory.V1;

namespace Mixnet.Directory.Cli.Commands;

/// <summary>
/// <c>mixdir node register</c>: signs a descriptor with the identity file and registers it; prints
/// the lease token that <c>node heartbeat</c> and <c>node deregister</c> need, and the TTL.
/// </summary>
public sealed class NodeRegisterCommand(CliConsole console) : NodeCallCommand<DescriptorSettings>(console)
{
    protected override async Task<int> RunAsync(CallInvoker invoker, NodeIdentity identity, DirectorySession session, DescriptorSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(identity);
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(settings);
        var request = DescriptorBuilder.Sign(settings, identity, DateTimeOffset.UtcNow);
        var registry = new RegistryService.RegistryServiceClient(invoker);
        var response = await registry.RegisterNodeAsync(request, session.Target.CallOptions(cancellationToken));
        var lease = KeyFingerprint.Hex(response.LeaseToken.Span);
        var ttl = response.Ttl?.ToTimeSpan() ?? TimeSpan.Zero;
        var interval = response.HeartbeatInterval?.ToTimeSpan() ?? TimeSpan.Zero;
        if (settings.Format == OutputFormat.Json)
        {
            JsonOut.Write(Console.RawOut, json =>
            {
                json.WriteString("identity_key", identity.IdentityHex);
                json.WriteString("lease_token", lease);
                json.WriteSeconds("ttl_seconds", ttl);
                json.WriteSeconds("heartbeat_interval_seconds", interval);
                json.WriteNumber("topology_version", response.TopologyVersion);
            });
            return ExitCodes.Success;
        }

        new Fields()
            .Add("registered", identity.IdentityHex)
            .Add("lease token", lease)
            .Add("ttl", Format.Duration(ttl))
            .Add("heartbeat interval", Format.Duration(interval))
            .Add("topology version", response.TopologyVersion.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .WriteTo(Console.RawOut);
        return ExitCodes.Success;
    }
}
