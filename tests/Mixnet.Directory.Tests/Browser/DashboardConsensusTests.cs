using System.Text.RegularExpressions;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Microsoft.Playwright;
using Mixnet.Directory.Signing;
using Mixnet.Directory.Tests.Infrastructure;
using Mixnet.Directory.V1;
using NSec.Cryptography;
using static Microsoft.Playwright.Assertions;

namespace Mixnet.Directory.Tests.Browser;

/// <summary>
/// The consensus panel on an authority's dashboard: three authorities on loopback, the page on
/// the first one's Web endpoint. It shows the epoch and the signers it verified itself, and says
/// so when no consensus for the current epoch comes (the other two authorities stopped).
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class DashboardConsensusTests : BrowserFixture
{
    // Long enough that the stale span (fresh_until to valid_until, one epoch) is easy to observe.
    private static readonly TimeSpan EpochLength = TimeSpan.FromSeconds(6);

    [Test]
    public async Task Authority_ShowsEpochAndVerifiedSigners_ThenWarnsWhenTheConsensusGoesStale()
    {
        await using var cluster = await AuthorityCluster.StartAsync(3, EpochLength);
        using var node = new TestNode(NodeRole.Gateway);
        var request = node.RegisterRequest(DateTimeOffset.UtcNow);
        foreach (var host in cluster.Running)
        {
            await new RegistryService.RegistryServiceClient(host.Channel).RegisterNodeAsync(request).ResponseAsync.Within();
        }

        var full = await cluster.Published(0, c => c.Signatures.Count == 3 && AuthorityCluster.Nodes(c) == 1).Within(TimeSpan.FromSeconds(40));
        await Dashboard.OpenAsync(cluster[0].WebAddress);
        await Dashboard.ExpectLiveAsync();

        var panel = Page.GetByTestId("consensus");
        await Expect(panel).ToBeVisibleAsync();
        // Checked in one attribute each, so an epoch turning over between two reads cannot mix states.
        var keys = cluster.PublicKeys.Select(k => KeyFingerprint.Hex(k.Span)).Order(StringComparer.Ordinal).ToArray();
        await Expect(panel.GetByTestId("cs-signers")).ToHaveAttributeAsync("data-checks", string.Join(' ', keys.Select(k => k + ":valid")));
        await Expect(panel.GetByTestId("cs-signed")).ToHaveTextAsync("3 of 3 authorities (threshold 2)");
        // Named as configured (GetDirectoryInfo lists the authorities: auth0..auth2 in configuration order).
        var configured = cluster.PublicKeys.Select(k => KeyFingerprint.Hex(k.Span)).ToList();
        await Expect(panel.GetByTestId("cs-signer").First).ToHaveTextAsync($"auth{configured.IndexOf(keys[0])} {keys[0][..8]} ✓ signed");
        await Expect(panel.GetByTestId("cs-epoch")).ToHaveTextAsync(new Regex(@"^\d+$"));
        var epoch = ulong.Parse(await panel.GetByTestId("cs-epoch").TextContentAsync() ?? "", System.Globalization.CultureInfo.InvariantCulture);
        Assert.That(epoch, Is.GreaterThanOrEqualTo(AuthorityCluster.Epoch(full)));
        await Expect(panel.GetByTestId("cs-nodes")).ToHaveTextAsync("1");
        await Expect(panel.GetByTestId("cs-fresh-until")).ToHaveTextAsync(new Regex(@"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC$"));
        await Expect(panel.GetByTestId("cs-stale")).ToBeHiddenAsync();

        // Two of three stop: the last one cannot reach the threshold, so no consensus for the next
        // epoch comes. The page says so once fresh_until passes (and, an epoch later, that it expired).
        await cluster.StopAsync(1);
        await cluster.StopAsync(2);
        var warning = panel.GetByTestId("cs-stale");
        await Expect(warning).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await Expect(warning).ToHaveAttributeAsync("data-level", new Regex("^(stale|expired)$"));
        await Expect(warning).ToContainTextAsync(new Regex("no consensus for the current epoch|expired"));
        await Expect(panel).ToHaveAttributeAsync("data-state", new Regex("^(stale|expired)$"));
        await Expect(Dashboard.ConnectionState).ToHaveAttributeAsync("data-state", "live");
        await SaveScreenshotAsync("consensus-stale");
        Dashboard.AssertClean();
    }

    [Test]
    public async Task NotAnAuthority_PanelStaysHidden()
    {
        var server = await StartDirectoryAsync();
        await Dashboard.OpenAsync(server.WebAddress);
        await Dashboard.ExpectLiveAsync();

        // The first GetConsensus answer (FAILED_PRECONDITION: not an authority) is what hides it for good.
        await Expect(Page.Locator("[data-testid='consensus'][data-mode='none']")).ToHaveCountAsync(1);
        await Expect(Page.GetByTestId("consensus")).ToBeHiddenAsync();
        Dashboard.AssertClean();
        server.AssertNoUnexpectedErrors();
    }

    [Test]
    public async Task ForgedOrUnderSignedConsensus_Refused_ThenAValidStaleOneShownWithItsWarning()
    {
        // The page checks what GetConsensus answers; a man in the middle answers here instead. The
        // set is this directory's key (which cannot sign here) and two test authorities: threshold 2.
        var server = await StartDirectoryAsync();
        var info = await new RawClients(server.Channel).Topology.GetDirectoryInfoAsync(new GetDirectoryInfoRequest()).ResponseAsync.Within();
        using var a = Key.Create(SignatureAlgorithm.Ed25519);
        using var b = Key.Create(SignatureAlgorithm.Ed25519);
        var own = info.DirectoryKey;
        var keys = new[] { own, PublicOf(a), PublicOf(b) }.OrderBy(k => KeyFingerprint.Hex(k.Span), StringComparer.Ordinal).ToArray();
        var now = DateTimeOffset.UtcNow;
        var document = new ConsensusDocument
        {
            Epoch = 7,
            ValidAfter = Timestamp.FromDateTimeOffset(now.AddMinutes(-20)),
            FreshUntil = Timestamp.FromDateTimeOffset(now.AddMinutes(-10)), // no consensus for the current epoch
            ValidUntil = Timestamp.FromDateTimeOffset(now.AddMinutes(10)),
        };
        document.AuthorityKeys.Add(keys);
        var bytes = document.ToByteArray();
        var byA = Signature(a, bytes);

        // Only a's signature is valid; counted twice it is still one, and b signed other bytes.
        var underSigned = new SignedConsensus { Document = ByteString.CopyFrom(bytes) };
        underSigned.Signatures.Add([byA, byA, Signature(b, [.. bytes, 0])]);
        var valid = new SignedConsensus { Document = ByteString.CopyFrom(bytes) };
        valid.Signatures.Add([byA, Signature(b, bytes), new AuthoritySignature { AuthorityKey = own, Signature = ByteString.CopyFrom(new byte[64]) }]);
        var answer = new[] { underSigned };
        await Page.RouteAsync("**/mixnet.directory.v1.TopologyService/GetConsensus", route => route.FulfillAsync(new RouteFulfillOptions
        {
            Status = 200,
            ContentType = GrpcWebBody.ContentType,
            BodyBytes = GrpcWebBody.Of(new GetConsensusResponse { Consensus = Volatile.Read(ref answer[0]) }),
        }));

        await Dashboard.OpenAsync(server.WebAddress);
        var panel = Page.GetByTestId("consensus");
        var warning = panel.GetByTestId("cs-stale");
        await Expect(warning).ToContainTextAsync("Refused the latest document: consensus for epoch 7: 1 valid authority signature of 3, 2 needed");
        await Expect(panel.GetByTestId("cs-epoch")).ToHaveTextAsync("—");

        // The next answer carries two valid signatures (and a bad one from this directory's key):
        // shown, with each signer's check, and flagged stale since fresh_until has passed.
        Volatile.Write(ref answer[0], valid);
        await Expect(panel.GetByTestId("cs-epoch")).ToHaveTextAsync("7");
        await Expect(panel.GetByTestId("cs-signed")).ToHaveTextAsync("2 of 3 authorities (threshold 2)");
        var checks = keys.Select(k => KeyFingerprint.Hex(k.Span) + (k.Equals(own) ? ":invalid" : ":valid"));
        await Expect(panel.GetByTestId("cs-signers")).ToHaveAttributeAsync("data-checks", string.Join(' ', checks));
        await Expect(warning).ToHaveAttributeAsync("data-level", "stale");
        await Expect(warning).ToHaveTextAsync(new Regex("^Consensus stale: no consensus for the current epoch. Epoch 7 was fresh until .* \\(10 min ago\\)"));
        Dashboard.AssertClean();
    }

    private static ByteString PublicOf(Key key) => ByteString.CopyFrom(key.PublicKey.Export(KeyBlobFormat.RawPublicKey));

    private static AuthoritySignature Signature(Key key, byte[] document) => new()
    {
        AuthorityKey = PublicOf(key),
        Signature = ByteString.CopyFrom(DirectorySignatures.Sign(key, SignatureDomain.Consensus, document)),
    };
}
