using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Google.Protobuf;
using Microsoft.Extensions.DependencyInjection;
using Mixnet.Directory.Server.Authorities;
using Mixnet.Directory.Server.Telemetry;
using Mixnet.Directory.Tests.Infrastructure;
using Mixnet.Directory.V1;
using NodeRole = Mixnet.Directory.V1.NodeRole;

namespace Mixnet.Directory.Tests.Authorities;

/// <summary>The consensus over HTTP: signed bytes, conditional fetch, the decoded view, the status a dashboard shows.</summary>
[TestFixture]
public sealed class ConsensusHttpTests
{
    [Test]
    public async Task A_single_authority_serves_its_consensus_with_etag_protobuf_and_a_decoded_view()
    {
        using var self = AuthorityHostKeys.NewKey();
        var settings = AuthorityHostKeys.Settings((self, "http://127.0.0.1:1"));
        settings["Directory:EpochLength"] = "00:00:02";
        await using var host = await DirectoryServerHost.StartAsync(settings, dataPath: AuthorityHostKeys.DataPathWith(self));
        using var node = new TestNode(NodeRole.Mixnode, 2);
        var listed = Published(host, c => ConsensusDocument.Parser.ParseFrom(c.Document).Nodes.Count == 1);
        await new RawClients(host.Channel).Registry.RegisterNodeAsync(node.RegisterRequest(DateTimeOffset.UtcNow)).ResponseAsync.Within();
        await listed.Within(TimeSpan.FromSeconds(20));
        using var http = new HttpClient { BaseAddress = host.WebAddress };

        using var json = await http.GetAsync("/v1/consensus").Within();
        Assert.That(json.StatusCode, Is.EqualTo(HttpStatusCode.OK), await json.Content.ReadAsStringAsync());
        var served = JsonParser.Default.Parse<GetConsensusResponse>(await json.Content.ReadAsStringAsync()).Consensus;
        var document = ConsensusDocument.Parser.ParseFrom(served.Document);
        Assert.That(document.Nodes.Select(n => NodeDescriptor.Parser.ParseFrom(n.Descriptor_).IdentityKey), Is.EqualTo(new[] { node.IdentityKey }));
        Assert.That(json.Headers.ETag?.Tag, Does.StartWith($"\"c{document.Epoch}-"));
        Assert.That(json.Headers.CacheControl?.Public, Is.True);

        // If-None-Match with the tag: 304 and no body (unless the next epoch came in between).
        using var conditional = new HttpRequestMessage(HttpMethod.Get, "/v1/consensus");
        conditional.Headers.IfNoneMatch.Add(json.Headers.ETag!);
        using var notModified = await http.SendAsync(conditional).Within();
        if (notModified.StatusCode == HttpStatusCode.OK)
        {
            Assert.That(notModified.Headers.ETag, Is.Not.EqualTo(json.Headers.ETag), "a full body only for another consensus");
        }
        else
        {
            Assert.That(notModified.StatusCode, Is.EqualTo(HttpStatusCode.NotModified));
            Assert.That(await notModified.Content.ReadAsByteArrayAsync(), Is.Empty);
        }

        // Binary protobuf on request: a GetConsensusResponse whose consensus verifies.
        using var binary = new HttpRequestMessage(HttpMethod.Get, "/v1/consensus");
        binary.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/x-protobuf"));
        using var pb = await http.SendAsync(binary).Within();
        Assert.That(pb.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/x-protobuf"));
        var signed = GetConsensusResponse.Parser.ParseFrom(await pb.Content.ReadAsByteArrayAsync()).Consensus;
        byte[][] keys = [AuthorityCluster.PublicOf(self)];
        Assert.That(Mixnet.Directory.Signing.ConsensusVerifier.TryVerify(signed, keys, 1, DateTimeOffset.UtcNow, TimeSpan.FromSeconds(30), out _, out var error), Is.True, error);
        Assert.That(pb.Headers.ETag, Is.Not.EqualTo(json.Headers.ETag), "each representation has its own tag");

        // The decoded view: document fields, each node's descriptor, signatures with key hex.
        using var view = JsonDocument.Parse(await http.GetStringAsync("/v1/consensus/view").Within());
        var root = view.RootElement;
        Assert.That(root.GetProperty("epoch").GetUInt64(), Is.GreaterThanOrEqualTo(document.Epoch));
        Assert.That(root.GetProperty("threshold").GetInt32(), Is.EqualTo(1));
        var signature = root.GetProperty("signatures")[0];
        Assert.That(signature.GetProperty("authority_key").GetString(), Is.EqualTo(Convert.ToHexStringLower(AuthorityCluster.PublicOf(self))));
        Assert.That(signature.GetProperty("valid").GetBoolean(), Is.True);
        var descriptor = root.GetProperty("nodes")[0].GetProperty("descriptor");
        Assert.That(descriptor.GetProperty("identity_key").GetString(), Is.EqualTo(Convert.ToHexStringLower(node.IdentityKey.Span)));
        Assert.That(descriptor.GetProperty("layer").GetInt32(), Is.EqualTo(2));
        Assert.That(root.GetProperty("signed").GetProperty("signature_domain").GetString(), Is.EqualTo("mixnet-directory/v1/consensus"));

        using var status = JsonDocument.Parse(await http.GetStringAsync("/v1/consensus/status").Within());
        Assert.That(status.RootElement.GetProperty("signers")[0].GetString(), Is.EqualTo("auth0"));
        Assert.That(status.RootElement.GetProperty("consensus_epoch").GetUInt64(), Is.GreaterThanOrEqualTo(document.Epoch));

        using var badQuery = await http.GetAsync("/v1/consensus?knownEpoch=x").Within();
        Assert.That(badQuery.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(await badQuery.Content.ReadAsStringAsync(), Does.Contain("knownEpoch"));
        host.DeleteData();
    }

    [Test]
    public async Task A_directory_that_is_not_an_authority_says_so_on_every_consensus_route()
    {
        await using var host = await DirectoryServerHost.StartAsync();
        using var http = new HttpClient { BaseAddress = host.WebAddress };

        foreach (var path in new[] { "/v1/consensus", "/v1/consensus/view", "/v1/consensus/status" })
        {
            using var response = await http.GetAsync(path).Within();
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound), path);
            Assert.That(await response.Content.ReadAsStringAsync(), Does.Contain("Directory:Authorities"), path);
        }

        host.DeleteData();
    }

    [Test]
    public async Task An_epoch_without_consensus_is_logged_counted_and_shown()
    {
        using var self = AuthorityHostKeys.NewKey();
        using var absent = AuthorityHostKeys.NewKey();
        // Two authorities, the second never answers: one vote of the two needed, every epoch.
        var settings = AuthorityHostKeys.Settings((self, "http://127.0.0.1:1"), (absent, "http://127.0.0.1:2"));
        settings["Directory:EpochLength"] = "00:00:02";
        await using var host = await DirectoryServerHost.StartAsync(settings, dataPath: AuthorityHostKeys.DataPathWith(self));
        var meter = host.Services.GetRequiredService<IMeterFactory>().Create(DirectoryInstruments.MeterName);
        var failed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (ReferenceEquals(instrument.Meter, meter) && instrument.Name == "mixnet.directory.consensus.failed")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, _, _, _) => failed.TrySetResult());
        listener.Start();

        await failed.Task.Within(TimeSpan.FromSeconds(20));

        Assert.That(host.Logs.Entries.Any(e => e.EventId.Id == 1102 && e.Message.Contains("fewer than 2 votes", StringComparison.Ordinal) && e.Exception is null), Is.True, "one warning, no stack trace");
        using var http = new HttpClient { BaseAddress = host.WebAddress };
        using var consensus = await http.GetAsync("/v1/consensus").Within();
        Assert.That(consensus.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
        Assert.That(consensus.Headers.RetryAfter, Is.Not.Null);
        using var status = JsonDocument.Parse(await http.GetStringAsync("/v1/consensus/status").Within());
        Assert.That(status.RootElement.GetProperty("failed_epochs").GetInt64(), Is.GreaterThanOrEqualTo(1));
        Assert.That(status.RootElement.GetProperty("last_failure").GetProperty("reason").GetString(), Does.Contain("fewer than 2 votes"));
        Assert.That(status.RootElement.GetProperty("consensus_epoch").ValueKind, Is.EqualTo(JsonValueKind.Null));
        Assert.That(await http.GetStringAsync("/metrics").Within(), Does.Match(@"mixnet_directory_consensus_failed_total(\{[^}]*\})? [1-9]"));
        host.DeleteData();
    }

    private static Task<SignedConsensus> Published(DirectoryServerHost host, Func<SignedConsensus, bool> matches)
    {
        var authority = host.Services.GetRequiredService<ConsensusAuthority>();
        var done = new TaskCompletionSource<SignedConsensus>(TaskCreationOptions.RunContinuationsAsynchronously);
        authority.Published += c =>
        {
            if (matches(c))
            {
                done.TrySetResult(c);
            }
        };
        return done.Task;
    }
}
