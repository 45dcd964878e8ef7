using Mixnet.Directory.Cli.Infrastructure;
using Mixnet.Directory.Cli.Rendering;
using Mixnet.Directory.Client;
using Mixnet.Directory.Signing;

namespace Mixnet.Directory.Cli.Commands;

/// <summary><c>mixdir node &lt;id&gt;</c>: one node's descriptor and the directory's bookkeeping.</summary>
public sealed class NodeCommand(CliConsole console) : DirectoryCommand<NodeSettings>(console)
{
    protected override async Task<int> RunAsync(DirectorySession session, NodeSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(settings);
        var key = await NodeIds.ResolveAsync(session.Client, settings.Identity, session.Address, mustBeLive: false, cancellationToken);
        var details = await session.Client.GetNodeAsync(key, cancellationToken);
        if (details is null)
        {
            Console.WriteError($"node {KeyFingerprint.Hex(key)} is not registered in the directory at {session.Address}");
            return ExitCodes.NotFound;
        }

        var node = details.Node;
        if (settings.Format == OutputFormat.Json)
        {
            JsonOut.Write(Console.RawOut, json =>
            {
                TopologyJson.WriteNodeFields(json, node);
                json.WriteString("registered_at", details.RegisteredAt);
                json.WriteString("last_seen", details.LastSeen);
                TopologyJson.WriteQuality(json, details.Quality);
            });
            return ExitCodes.Success;
        }

        var now = DateTimeOffset.UtcNow;
        var invariant = System.Globalization.CultureInfo.InvariantCulture;
        var fields = new Fields()
            .Add("identity key", node.IdentityHex)
            .Add("sphinx key", KeyFingerprint.Hex(node.SphinxKey.Span))
            .Add("role", node.Role == NodeRole.Gateway ? "gateway" : "mixnode")
            .Add("layer", node.Role == NodeRole.Gateway ? "-" : node.Layer.ToString(invariant))
            .Add("mix address", node.MixEndpoint);
        if (node.Role == NodeRole.Gateway)
        {
            fields.Add("client port", node.ClientPort.ToString(invariant));
        }

        fields.Add("version", node.Version)
            .Add("location", node.Location)
            .Add("signed at", Format.Time(node.SignedAt))
            .Add("registered at", $"{Format.Time(details.RegisteredAt)} ({Format.Age(now - details.RegisteredAt)})")
            .Add("last seen", $"{Format.Time(details.LastSeen)} ({Format.Age(now - details.LastSeen)})")
            .Add("reliability", Format.Quality(details.Quality));
        if (details.Quality is { } quality)
        {
            fields.Add("reliability 24h", Format.Score(quality.Reliability24h))
                .Add("uptime", Format.Score(quality.Uptime));
        }

        fields.WriteTo(Console.RawOut);
        return ExitCodes.Success;
    }
}
