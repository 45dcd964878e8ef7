using Mixnet.Directory.Client;
using Mixnet.Directory.Signing;

namespace Mixnet.Directory.Cli.Rendering;

/// <summary>
/// One metrics frame as JSON, as the directory sent it: <c>{"window_end", "window_seconds", "live_nodes",
/// "network_sent", "network_received", "dropped_frames", "nodes": [{"identity_key", "sent", "received"}]}</c>,
/// busiest node first. Indented for a one-shot, one line per frame for <c>--follow</c>.
/// </summary>
public static class MetricsJson
{
    public static void Write(TextWriter writer, MetricsFrame frame, bool singleLine)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(frame);
        JsonOut.Write(writer, json =>
        {
            json.WriteString("window_end", frame.WindowEnd);
            json.WriteSeconds("window_seconds", frame.Window);
            json.WriteNumber("live_nodes", frame.LiveNodes);
            json.WriteNumber("network_sent", frame.NetworkSent);
            json.WriteNumber("network_received", frame.NetworkReceived);
            json.WriteNumber("dropped_frames", frame.DroppedFrames);
            json.WriteStartArray("nodes");
            foreach (var node in frame.Nodes.OrderByDescending(n => n.Sent + n.Received))
            {
                json.WriteStartObject();
                json.WriteString("identity_key", KeyFingerprint.Hex(node.IdentityKey.Span));
                json.WriteNumber("sent", node.Sent);
                json.WriteNumber("received", node.Received);
                json.WriteEndObject();
            }

            json.WriteEndArray();
        }, singleLine);
    }
}
