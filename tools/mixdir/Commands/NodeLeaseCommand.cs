using Google.Protobuf;
using Grpc.Core;
using Mixnet.Directory.Cli.Infrastructure;
using Mixnet.Directory.Cli.Rendering;
using Mixnet.Directory.Client;
using Mixnet.Directory.Signing;
using Mixnet.Directory.V1;

namespace Mixnet.Directory.Cli.Commands;

/// <summary>
/// <c>mixdir node heartbeat</c> (renews the lease once; prints the TTL it now has) and
/// <c>mixdir node deregister</c> (the node leaves the topology at once): the same identity and
/// lease token, one call apart. Which one runs is the command's <see cref="LeaseCall"/> data.
/// </summary>
public sealed class NodeLeaseCommand(CliConsole console) : NodeCallCommand<NodeLeaseSettings>(console)
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
        var key = ByteString.CopyFrom(identity.IdentityKey.Span);
        var lease = ByteString.CopyFrom(settings.ResolveLease(Console.Environment, out _));
        var options = session.Target.CallOptions(cancellationToken);
        if (CommandData is LeaseCall.Deregister)
        {
            await new RegistryService.RegistryServiceClient(invoker).DeregisterNodeAsync(new DeregisterNodeRequest { IdentityKey = key, LeaseToken = lease }, options);
            WriteDeregistered(identity, settings.Format);
            return ExitCodes.Success;
        }

        var response = await new PresenceService.PresenceServiceClient(invoker).HeartbeatAsync(new HeartbeatRequest { IdentityKey = key, LeaseToken = lease }, options);
        WriteHeartbeat(identity, response, settings.Format);
        return ExitCodes.Success;
    }

    private void WriteHeartbeat(NodeIdentity identity, HeartbeatResponse response, OutputFormat format)
    {
        var ttl = response.Ttl?.ToTimeSpan() ?? TimeSpan.Zero;
        if (format == OutputFormat.Json)
        {
            JsonOut.Write(Console.RawOut, json =>
            {
                json.WriteString("identity_key", identity.IdentityHex);
                json.WriteSeconds("ttl_seconds", ttl);
                json.WriteNumber("topology_version", response.TopologyVersion);
            });
            return;
        }

        new Fields()
            .Add("heartbeat", identity.IdentityHex)
            .Add("ttl", Format.Duration(ttl))
            .Add("topology version", response.TopologyVersion.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .WriteTo(Console.RawOut);
    }

    private void WriteDeregistered(NodeIdentity identity, OutputFormat format)
    {
        if (format == OutputFormat.Json)
        {
            JsonOut.Write(Console.RawOut, json =>
            {
                json.WriteString("identity_key", identity.IdentityHex);
                json.WriteBoolean("deregistered", true);
            });
            return;
        }

        Console.RawOut.WriteLine($"deregistered {KeyFingerprint.Abbreviate(identity.IdentityKey.Span)}");
        Console.RawOut.Flush();
    }
}
