using System.Text;
using Google.Protobuf;
using Microsoft.Playwright;
using Mixnet.Directory.Tests.Infrastructure;
using Mixnet.Directory.Tests.Integration;
using Mixnet.Directory.V1;
using static Microsoft.Playwright.Assertions;

namespace Mixnet.Directory.Tests.Browser;

/// <summary>Attacker-controlled text stays text, and data whose signature fails is never shown.</summary>
[TestFixture]
public sealed class DashboardSecurityTests : BrowserFixture
{
    [Test]
    public async Task Page_LocationWithMarkup_ShownAsTextAndNothingRuns()
    {
        const string hostile = "<img src=x onerror=alert(1)>";
        var server = await StartDirectoryAsync();
        using var node = await RegisterAsync(server, NodeRole.Mixnode, 2, d => d.Location = hostile);
        using var script = await RegisterAsync(server, NodeRole.Gateway, edit: d => d.Location = "<script>alert(2)</script>");

        await Dashboard.OpenAsync(server.WebAddress);

        await Expect(Dashboard.Node(node.IdentityKey).GetByTestId("location")).ToHaveTextAsync(hostile);
        await Expect(Page.GetByText(hostile, new() { Exact = true })).ToBeVisibleAsync();
        await Expect(Dashboard.Node(script.IdentityKey).GetByTestId("location")).ToHaveTextAsync("<script>alert(2)</script>");
        await Expect(Page.Locator("img")).ToHaveCountAsync(0);
        await Expect(Page.Locator("li.node script")).ToHaveCountAsync(0);

        // Filtering re-renders the rows; still text.
        await Page.GetByTestId("filter").FillAsync("onerror");
        await Expect(Dashboard.AllNodes).ToHaveCountAsync(1);
        await Expect(Page.Locator("img")).ToHaveCountAsync(0);
        Dashboard.AssertClean();
        Assert.That(Dashboard.Dialogs, Is.Empty);
    }

    [Test]
    public async Task Page_TamperedTopologySnapshot_RefusedWithVisibleError()
    {
        var server = await StartDirectoryAsync();
        using var node = await RegisterAsync(server, NodeRole.Mixnode, 1, d => d.Location = "Honest Lab");
        var signed = await SignedTopologyWithAsync(server, Encoding.ASCII.GetBytes("Honest Lab"));

        // A man in the middle rewrites the location in the signed bytes and keeps the signature.
        var bytes = signed.Topology.ToByteArray();
        var at = IndexOf(bytes, Encoding.ASCII.GetBytes("Honest"));
        Assert.That(at, Is.GreaterThanOrEqualTo(0));
        Encoding.ASCII.GetBytes("Forged").CopyTo(bytes, at);
        var forged = new WatchTopologyResponse
        {
            Snapshot = new SignedTopology { Topology = ByteString.CopyFrom(bytes), Signature = signed.Signature },
        };
        await Page.RouteAsync("**/mixnet.directory.v1.TopologyService/WatchTopology", route => route.FulfillAsync(new RouteFulfillOptions
        {
            Status = 200,
            ContentType = GrpcWebBody.ContentType,
            BodyBytes = GrpcWebBody.Of(forged),
        }));

        await Dashboard.OpenAsync(server.WebAddress);

        await Expect(Dashboard.VerifyError).ToBeVisibleAsync();
        await Expect(Dashboard.VerifyError).ToContainTextAsync("signature does not verify");
        await Expect(Dashboard.ConnectionState).ToHaveAttributeAsync("data-state", "refused");
        await Expect(Dashboard.ConnectionState).ToHaveTextAsync("signature invalid");
        await Expect(Dashboard.AllNodes).ToHaveCountAsync(0);
        await Expect(Page.GetByText("Forged Lab")).ToHaveCountAsync(0);
        await Expect(Dashboard.LiveNodes).ToHaveTextAsync("—");
        await SaveScreenshotAsync("refused");

        // The real, correctly signed stream is accepted and clears the error.
        await Page.UnrouteAllAsync();
        await Expect(Dashboard.Node(node.IdentityKey).GetByTestId("location")).ToHaveTextAsync("Honest Lab", new() { Timeout = 30_000 });
        await Expect(Dashboard.VerifyError).ToBeHiddenAsync();
        await Dashboard.ExpectLiveAsync();
        Dashboard.AssertClean();
    }

    /// <summary>The first signed snapshot that holds the text: publishing is batched, so watch for it.</summary>
    private static async Task<SignedTopology> SignedTopologyWithAsync(DirectoryServerHost server, byte[] text)
    {
        var topology = new RawClients(server.Channel).Topology;
        using var cts = TaskTimeouts.Cancel();
        using var watch = topology.WatchTopology(new WatchTopologyRequest(), cancellationToken: cts.Token);
        while (await watch.ResponseStream.MoveNext(cts.Token))
        {
            var update = watch.ResponseStream.Current;
            if (update.Snapshot is { } snapshot && IndexOf(snapshot.Topology.ToByteArray(), text) >= 0)
            {
                return snapshot;
            }

            if (update.Delta is { } delta && IndexOf(delta.Delta.ToByteArray(), text) >= 0)
            {
                return (await topology.GetTopologyAsync(new GetTopologyRequest()).ResponseAsync.Within()).Topology;
            }
        }

        throw new AssertionException("the topology never held the node");
    }

    private static int IndexOf(byte[] haystack, byte[] needle)
    {
        for (var i = 0; i <= haystack.Length - needle.Length; i++)
        {
            if (haystack.AsSpan(i, needle.Length).SequenceEqual(needle))
            {
                return i;
            }
        }

        return -1;
    }
}
