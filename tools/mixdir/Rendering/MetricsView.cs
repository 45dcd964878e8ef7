using System.Globalization;
using Mixnet.Directory.Cli.Metrics;
using Mixnet.Directory.Client;
using Mixnet.Directory.Signing;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Mixnet.Directory.Cli.Rendering;

/// <summary>Network totals and the busiest nodes, as one renderable for a one-shot print or a live display.</summary>
public static class MetricsView
{
    public static IRenderable Waiting() => new Text("waiting for the first metrics frame...");

    public static IRenderable Build(TrafficStats stats, NodeNames names, int top)
    {
        ArgumentNullException.ThrowIfNull(stats);
        ArgumentNullException.ThrowIfNull(names);
        if (stats.Latest is not { } latest)
        {
            return Waiting();
        }

        var (sent, received) = stats.NetworkRates();
        var totals = new Grid().AddColumn(new GridColumn().NoWrap()).AddColumn(new GridColumn().RightAligned());
        totals.AddRow("live nodes", latest.LiveNodes.ToString(CultureInfo.InvariantCulture));
        totals.AddRow("packets/s sent", Format.Rate(sent));
        totals.AddRow("packets/s received", Format.Rate(received));
        totals.AddRow("dropped frames", Format.Count(latest.DroppedFrames));

        var table = new Table()
            .Border(TableBorder.Simple)
                        .AddColumn("id")
            .AddColumn("node")
            .AddColumn("mix address")
            .AddColumn(new TableColumn("sent").RightAligned())
            .AddColumn(new TableColumn("received").RightAligned())
            .AddColumn(new TableColumn("sent/s").RightAligned())
            .AddColumn(new TableColumn("received/s").RightAligned());
        foreach (var node in stats.Busiest(top))
        {
            var info = names.Find(node.IdentityKey);
            table.AddRow(
                KeyFingerprint.Abbreviate(node.IdentityKey.Span),
                info is null ? "?" : info.Role == NodeRole.Gateway ? "gateway" : "layer " + info.Layer.ToString(CultureInfo.InvariantCulture),
                info is null ? "(not in topology)" : Markup.Escape(info.MixEndpoint),
                Format.Count(node.Sent),
                Format.Count(node.Received),
                Format.Rate(node.SentPerSecond),
                Format.Rate(node.ReceivedPerSecond));
        }

        var header = new Text($"metrics at {Format.Time(latest.WindowEnd)}: busiest nodes over the last {Format.Duration(stats.Span)} ({stats.FrameCount} frame(s) of {Format.Duration(latest.Window)})");
        return new Rows(header, totals, table);
    }
}
