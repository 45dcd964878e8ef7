using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Mixnet.Directory.Server.Topology;
using Mixnet.Directory.Tests.Infrastructure;
using Mixnet.Directory.Tests.Integration;
using Mixnet.Directory.V1;

namespace Mixnet.Directory.Tests.Operating;

/// <summary>The topology's HTTP routes: caching headers, versioned URLs, decoded views, ids in hex or base64.</summary>
[TestFixture]
public sealed class TopologyHttpTests
{
    [Test]
    public async Task Topology_CarriesVersionETag_AndIfNoneMatchGets304WithoutBody()
    {
        await using var server = await DirectoryServerHost.StartAsync(new Dictionary<string, string?> { ["Directory:TopologyMaxAge"] = "00:00:07" });
        using var http = new HttpClient { BaseAddress = server.WebAddress };
        using var node = new TestNode();
        await new RawClients(server.Channel).Registry.RegisterNodeAsync(node.RegisterRequest(DateTimeOffset.UtcNow)).ResponseAsync.Within();
        var stats = server.Services.GetRequiredService<TopologyHttpStats>();

        using var full = await http.GetAsync("/v1/topology").Within();
        Assert.That(full.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var version = Snapshot(await full.Content.ReadAsStringAsync()).Version;
        Assert.That(version, Is.GreaterThan(0UL));
        Assert.That(full.Headers.ETag?.ToString(), Is.EqualTo($"\"v{version}\""));
        Assert.That(full.Headers.CacheControl?.ToString(), Is.EqualTo("public, max-age=7"));
        Assert.That(full.Content.Headers.ContentLocation?.ToString(), Is.EqualTo($"/v1/topology/{version}"));

        using var conditional = new HttpRequestMessage(HttpMethod.Get, "/v1/topology");
        conditional.Headers.IfNoneMatch.Add(full.Headers.ETag!);
        using var notModified = await http.SendAsync(conditional).Within();
        Assert.That(notModified.StatusCode, Is.EqualTo(HttpStatusCode.NotModified));
        Assert.That(await notModified.Content.ReadAsByteArrayAsync(), Is.Empty);
        Assert.That(notModified.Headers.ETag, Is.EqualTo(full.Headers.ETag));
        Assert.That((stats.FullResponses, stats.NotModified), Is.EqualTo((1L, 1L)));

        // A stale tag is a different version: the full body again.
        using var stale = new HttpRequestMessage(HttpMethod.Get, "/v1/topology");
        stale.Headers.IfNoneMatch.Add(new EntityTagHeaderValue($"\"v{version - 1}\""));
        using var fresh = await http.SendAsync(stale).Within();
        Assert.That(fresh.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(stats.FullResponses, Is.EqualTo(2));
        server.DeleteData();
    }

    [Test]
    public async Task VersionedUrl_IsImmutable_ThenGoneWithPointerToLatest()
    {
        await using var server = await DirectoryServerHost.StartAsync();
        using var http = new HttpClient { BaseAddress = server.WebAddress };
        var clients = new RawClients(server.Channel);
        using var first = new TestNode();
        await clients.Registry.RegisterNodeAsync(first.RegisterRequest(DateTimeOffset.UtcNow)).ResponseAsync.Within();
        using var latest = await http.GetAsync("/v1/topology").Within();
        var latestJson = await latest.Content.ReadAsStringAsync();
        var version = Snapshot(latestJson).Version;

        using var pinned = await http.GetAsync($"/v1/topology/{version}").Within();
        Assert.That(pinned.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await pinned.Content.ReadAsStringAsync(), Is.EqualTo(latestJson), "the same signed snapshot as /v1/topology");
        Assert.That(pinned.Headers.CacheControl?.ToString(), Is.EqualTo("public, max-age=31536000, immutable"));
        Assert.That(pinned.Headers.ETag?.ToString(), Is.EqualTo($"\"v{version}\""));

        using var protobuf = new HttpRequestMessage(HttpMethod.Get, $"/v1/topology/{version}");
        protobuf.Headers.Accept.ParseAdd("application/x-protobuf");
        using var binary = await http.SendAsync(protobuf).Within();
        var decoded = GetTopologyResponse.Parser.ParseFrom(await binary.Content.ReadAsByteArrayAsync());
        Assert.That(TopologySnapshot.Parser.ParseFrom(decoded.Topology.Topology).Version, Is.EqualTo(version));
        Assert.That(binary.Headers.ETag?.ToString(), Is.Not.EqualTo(pinned.Headers.ETag?.ToString()), "each representation has its own tag");

        using var future = await http.GetAsync($"/v1/topology/{version + 100}").Within();
        Assert.That(future.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        using var bad = await http.GetAsync("/v1/topology/-3").Within();
        Assert.That(bad.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(Field(await bad.Content.ReadAsStringAsync()), Is.EqualTo("version"));

        // Publish more versions than are kept; each read publishes (publish-on-read).
        var nodes = new List<TestNode>();
        for (var i = 0; i < PublishedHistory.Capacity; i++)
        {
            var node = new TestNode();
            nodes.Add(node);
            await clients.Registry.RegisterNodeAsync(node.RegisterRequest(DateTimeOffset.UtcNow)).ResponseAsync.Within();
            using var read = await http.GetAsync("/v1/topology").Within();
            Assert.That(read.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }

        using var gone = await http.GetAsync($"/v1/topology/{version}").Within();
        Assert.That(gone.StatusCode, Is.EqualTo(HttpStatusCode.Gone));
        var newest = version + (ulong)PublishedHistory.Capacity;
        Assert.That(gone.Headers.GetValues("Link").Single(), Is.EqualTo($"</v1/topology/{newest}>; rel=\"latest-version\""));
        using var kept = await http.GetAsync($"/v1/topology/{newest - (ulong)PublishedHistory.Capacity + 1}").Within();
        Assert.That(kept.StatusCode, Is.EqualTo(HttpStatusCode.OK), "the last versions are kept");
        nodes.ForEach(n => n.Dispose());
        server.DeleteData();
    }

    [Test]
    public async Task DecodedView_ShowsEveryFieldInSnakeCase_BesideTheSignedBytes()
    {
        await using var server = await DirectoryServerHost.StartAsync();
        using var http = new HttpClient { BaseAddress = server.WebAddress };
        using var gateway = new TestNode(NodeRole.Gateway);
        var signedAt = DateTimeOffset.UtcNow;
        await new RawClients(server.Channel).Registry.RegisterNodeAsync(gateway.RegisterRequest(signedAt)).ResponseAsync.Within();

        foreach (var path in new[] { "/v1/topology/view", "/v1/topology?view=decoded" })
        {
            using var response = await http.GetAsync(path).Within();
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), path);
            using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            var root = doc.RootElement;
            var signed = root.GetProperty("signed");
            var snapshot = TopologySnapshot.Parser.ParseFrom(signed.GetProperty("topology").GetBytesFromBase64());
            Assert.That(root.GetProperty("version").GetUInt64(), Is.EqualTo(snapshot.Version));
            Assert.That(response.Headers.ETag?.ToString(), Is.EqualTo($"\"v{snapshot.Version}\""));
            Assert.That(signed.GetProperty("signature").GetBytesFromBase64(), Has.Length.EqualTo(64));
            var node = root.GetProperty("gateways").EnumerateArray().Single();
            Assert.That(node.GetProperty("identity_key").GetString(), Is.EqualTo(Convert.ToHexStringLower(gateway.IdentityKey.Span)));
            Assert.That(node.GetProperty("sphinx_key").GetString(), Is.EqualTo(Convert.ToHexStringLower(gateway.Descriptor.SphinxKey.Span)));
            Assert.That(node.GetProperty("role").GetString(), Is.EqualTo("gateway"));
            Assert.That(node.GetProperty("layer").GetUInt32(), Is.Zero);
            Assert.That(node.GetProperty("host").GetString(), Is.EqualTo("127.0.0.1"));
            Assert.That(node.GetProperty("mix_port").GetUInt32(), Is.EqualTo(gateway.Descriptor.MixPort));
            Assert.That(node.GetProperty("client_port").GetUInt32(), Is.EqualTo(9000));
            Assert.That(node.GetProperty("version").GetString(), Is.EqualTo(gateway.Version));
            Assert.That(node.GetProperty("location").GetString(), Is.EqualTo(gateway.Location));
            Assert.That(DateTimeOffset.Parse(node.GetProperty("signed_at").GetString()!, System.Globalization.CultureInfo.InvariantCulture), Is.EqualTo(signedAt).Within(TimeSpan.FromSeconds(1)));
            Assert.That(root.GetProperty("mixnodes").GetArrayLength(), Is.Zero);
        }

        server.DeleteData();
    }

    [Test]
    public async Task NodeView_AcceptsHexAndBase64Url_AndLookupAcceptsHex()
    {
        await using var server = await DirectoryServerHost.StartAsync();
        using var http = new HttpClient { BaseAddress = server.WebAddress };
        using var node = new TestNode(NodeRole.Mixnode, layer: 3);
        await new RawClients(server.Channel).Registry.RegisterNodeAsync(node.RegisterRequest(DateTimeOffset.UtcNow)).ResponseAsync.Within();
        var hex = Convert.ToHexStringLower(node.IdentityKey.Span);
        var base64Url = Convert.ToBase64String(node.IdentityKey.ToByteArray()).TrimEnd('=').Replace('+', '-').Replace('/', '_');

        foreach (var id in new[] { hex, hex.ToUpperInvariant(), base64Url })
        {
            using var response = await http.GetAsync($"/v1/nodes/{id}").Within();
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), id);
            using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            var decoded = doc.RootElement.GetProperty("node");
            Assert.That(decoded.GetProperty("identity_key").GetString(), Is.EqualTo(hex));
            Assert.That(decoded.GetProperty("layer").GetUInt32(), Is.EqualTo(3));
            var descriptor = NodeDescriptor.Parser.ParseFrom(doc.RootElement.GetProperty("signed").GetProperty("descriptor").GetBytesFromBase64());
            Assert.That(descriptor.IdentityKey, Is.EqualTo(node.IdentityKey));
        }

        using var lookup = await http.GetAsync($"/v1/nodes:lookup?identityKey={hex}").Within();
        Assert.That(lookup.StatusCode, Is.EqualTo(HttpStatusCode.OK), await lookup.Content.ReadAsStringAsync());
        using var lookupUrl = await http.GetAsync($"/v1/nodes:lookup?identityKey={base64Url}").Within();
        Assert.That(lookupUrl.StatusCode, Is.EqualTo(HttpStatusCode.OK), await lookupUrl.Content.ReadAsStringAsync());

        using var absent = await http.GetAsync($"/v1/nodes/{new string('a', 64)}").Within();
        Assert.That(absent.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(Field(await absent.Content.ReadAsStringAsync()), Is.EqualTo("id"));
        using var tooLong = await http.GetAsync($"/v1/nodes/{new string('a', 200)}").Within();
        Assert.That(tooLong.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(Field(await tooLong.Content.ReadAsStringAsync()), Is.EqualTo("id"));
        using var badLookup = await http.GetAsync("/v1/nodes:lookup?identityKey=abc").Within();
        Assert.That(badLookup.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(Field(await badLookup.Content.ReadAsStringAsync()), Is.EqualTo("identityKey"));
        using var badKnown = await http.GetAsync("/v1/topology?knownVersion=x").Within();
        Assert.That(Field(await badKnown.Content.ReadAsStringAsync()), Is.EqualTo("knownVersion"));
        server.AssertNoUnexpectedErrors();
        server.DeleteData();
    }

    [Test]
    public async Task JsonBodies_AcceptHexIdentityKeys()
    {
        await using var server = await DirectoryServerHost.StartAsync();
        using var http = new HttpClient { BaseAddress = server.WebAddress };
        using var node = new TestNode();
        node.LeaseToken = (await new RawClients(server.Channel).Registry.RegisterNodeAsync(node.RegisterRequest(DateTimeOffset.UtcNow)).ResponseAsync.Within()).LeaseToken;
        var hex = Convert.ToHexStringLower(node.IdentityKey.Span);
        var token = Convert.ToBase64String(node.LeaseToken.ToByteArray());

        using var beat = await http.PostAsync("/v1/nodes:heartbeat", Json($$"""{"identityKey":"{{hex}}","leaseToken":"{{token}}"}""")).Within();
        Assert.That(beat.StatusCode, Is.EqualTo(HttpStatusCode.OK), await beat.Content.ReadAsStringAsync());

        // A hex key of another node is still that other node: the lease token does not match it.
        var other = new string('b', 64);
        using var wrong = await http.PostAsync("/v1/nodes:heartbeat", Json($$"""{"identityKey":"{{other}}","leaseToken":"{{token}}"}""")).Within();
        Assert.That(wrong.StatusCode, Is.Not.EqualTo(HttpStatusCode.OK));

        using var leave = await http.PostAsync("/v1/nodes:deregister", Json($$"""{"identityKey":"{{hex.ToUpperInvariant()}}","leaseToken":"{{token}}"}""")).Within();
        Assert.That(leave.StatusCode, Is.EqualTo(HttpStatusCode.OK), await leave.Content.ReadAsStringAsync());
        using var gone = await http.GetAsync($"/v1/nodes/{hex}").Within();
        Assert.That(gone.StatusCode, Is.EqualTo(HttpStatusCode.NotFound), "the hex deregistration removed the node");
        server.DeleteData();
    }

    [Test]
    public async Task Topology_OverTheTopologyRate_Gets429WithRetryAfter()
    {
        await using var server = await DirectoryServerHost.StartAsync(new Dictionary<string, string?>
        {
            ["Directory:RateLimits:TopologyBurstPerIp"] = "3",
            ["Directory:RateLimits:TopologyRequestsPerSecondPerIp"] = "1",
        });
        using var http = new HttpClient { BaseAddress = server.WebAddress };
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
        {
            using var response = await http.GetAsync("/v1/topology/view").Within();
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                Assert.That(response.Headers.RetryAfter, Is.Not.Null);
            }
        }

        Assert.That(statuses.Count(s => s == HttpStatusCode.TooManyRequests), Is.GreaterThanOrEqualTo(1));
        Assert.That(statuses.Take(3), Is.All.EqualTo(HttpStatusCode.OK));
        server.DeleteData();
    }

    [Test]
    public async Task OpenApi_DescribesBytesFieldsAsBase64()
    {
        await using var server = await DirectoryServerHost.StartAsync();
        using var http = new HttpClient { BaseAddress = server.WebAddress };
        using var doc = JsonDocument.Parse(await http.GetStringAsync("/swagger/v1/swagger.json").Within());
        var schemas = doc.RootElement.GetProperty("components").GetProperty("schemas");
        var signed = schemas.EnumerateObject().Single(s => s.Name.EndsWith("SignedTopology", StringComparison.Ordinal)).Value;
        var topology = signed.GetProperty("properties").GetProperty("topology");
        Assert.That(topology.TryGetProperty("type", out var type) ? type.GetString() : null, Is.EqualTo("string"), topology.ToString());
        Assert.That(topology.TryGetProperty("format", out var format) ? format.GetString() : null, Is.EqualTo("byte"), topology.ToString());
        server.DeleteData();
    }

    private static TopologySnapshot Snapshot(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return TopologySnapshot.Parser.ParseFrom(doc.RootElement.GetProperty("topology").GetProperty("topology").GetBytesFromBase64());
    }

    private static StringContent Json(string body) => new(body, System.Text.Encoding.UTF8, "application/json");

    private static string? Field(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return doc.RootElement.GetProperty("field").GetString();
    }
}
