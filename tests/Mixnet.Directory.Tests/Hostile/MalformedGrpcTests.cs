using System.IO.Compression;
using Grpc.Core;
using Mixnet.Directory.Tests.Infrastructure;

namespace Mixnet.Directory.Tests.Hostile;

/// <summary>Bytes that are not a request: a named INVALID_ARGUMENT (or RESOURCE_EXHAUSTED for size), no stack trace, and others still served.</summary>
[TestFixture]
[Category("Hostile")]
public sealed class MalformedGrpcTests
{
    private const string Heartbeat = "/mixnet.directory.v1.PresenceService/Heartbeat";
    private const string StreamMetrics = "/mixnet.directory.v1.MetricsService/StreamMetrics";

    // Field 1 (bytes) declaring a 2 GB length: not a HeartbeatRequest.
    private static readonly byte[] Garbage = [0x0A, 0xFF, 0xFF, 0xFF, 0xFF, 0x07, 0x01, 0x02];

    [Test]
    public async Task Heartbeat_BytesThatDoNotParse_InvalidArgumentNamingTheMessage()
    {
        await using var server = await DirectoryServerHost.StartAsync();
        using var raw = new RawGrpc(server.GrpcAddress);

        var (status, message) = await raw.CallAsync(Heartbeat, RawGrpc.Frame(Garbage)).Within();

        Assert.That((StatusCode)status, Is.EqualTo(StatusCode.InvalidArgument));
        Assert.That(message, Does.StartWith("request is not a valid HeartbeatRequest"));
        server.AssertNoUnexpectedErrors();
        server.DeleteData();
    }

    [Test]
    public async Task StreamMetrics_BytesThatDoNotParse_InvalidArgumentNamingTheMessage()
    {
        await using var server = await DirectoryServerHost.StartAsync();
        using var raw = new RawGrpc(server.GrpcAddress);

        var (status, message) = await raw.CallAsync(StreamMetrics, RawGrpc.Frame(Garbage)).Within();

        Assert.That((StatusCode)status, Is.EqualTo(StatusCode.InvalidArgument));
        Assert.That(message, Does.StartWith("request is not a valid StreamMetricsRequest"));
        server.DeleteData();
    }

    [Test]
    public async Task Heartbeat_BodyShorterThanItsPrefix_InvalidArgumentNotInternal()
    {
        await using var server = await DirectoryServerHost.StartAsync();
        using var raw = new RawGrpc(server.GrpcAddress);

        var (status, message) = await raw.CallAsync(Heartbeat, RawGrpc.Frame([0x0A, 0x02], declaredLength: 100)).Within();

        Assert.That((StatusCode)status, Is.EqualTo(StatusCode.InvalidArgument));
        Assert.That(message, Does.Contain("not a complete gRPC message"));
        server.DeleteData();
    }

    [Test]
    public async Task Heartbeat_FourGigabytePrefix_ResourceExhaustedWithoutBuffering()
    {
        await using var server = await DirectoryServerHost.StartAsync();
        using var raw = new RawGrpc(server.GrpcAddress);

        var (status, _) = await raw.CallAsync(Heartbeat, RawGrpc.Frame([0x0A, 0x02], declaredLength: uint.MaxValue)).Within();

        Assert.That((StatusCode)status, Is.EqualTo(StatusCode.ResourceExhausted));
        await Innocent.AssertServedAsync(server);
        server.DeleteData();
    }

    [Test]
    public async Task Heartbeat_CompressedFlagNotZeroOrOne_InvalidArgument()
    {
        await using var server = await DirectoryServerHost.StartAsync();
        using var raw = new RawGrpc(server.GrpcAddress);

        var (status, message) = await raw.CallAsync(Heartbeat, RawGrpc.Frame([0x0A, 0x00], flag: 2)).Within();

        Assert.That((StatusCode)status, Is.EqualTo(StatusCode.InvalidArgument));
        Assert.That(message, Does.Contain("compressed flag"));
        server.DeleteData();
    }

    [Test]
    public async Task Heartbeat_MarkedGzipButNotGzip_InvalidArgument()
    {
        await using var server = await DirectoryServerHost.StartAsync();
        using var raw = new RawGrpc(server.GrpcAddress);

        var (status, message) = await raw.CallAsync(Heartbeat, RawGrpc.Frame(Garbage, flag: 1), encoding: "gzip").Within();

        Assert.That((StatusCode)status, Is.EqualTo(StatusCode.InvalidArgument));
        Assert.That(message, Does.Contain("gzip"));
        server.AssertNoUnexpectedErrors();
        server.DeleteData();
    }

    [Test]
    public async Task Heartbeat_GzipThatInflatesPastTheLimit_ResourceExhaustedNotInflatedInFull()
    {
        await using var server = await DirectoryServerHost.StartAsync();
        using var raw = new RawGrpc(server.GrpcAddress);
        using var packed = new MemoryStream();
        using (var gzip = new GZipStream(packed, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            gzip.Write(new byte[256 * 1024]);
        }

        Assert.That(packed.Length, Is.LessThan(1024), "fits under HeartbeatRequest's 1 KB limit");
        var (status, message) = await raw.CallAsync(Heartbeat, RawGrpc.Frame(packed.ToArray(), flag: 1), encoding: "gzip").Within();

        // grpc-dotnet stops inflating at the method's limit; BoundedGzipProvider also caps at 64 KB.
        Assert.That((StatusCode)status, Is.EqualTo(StatusCode.ResourceExhausted), message);
        await Innocent.AssertServedAsync(server);
        server.DeleteData();
    }

    [Test]
    public async Task Flood_ManyMalformedRequests_NoStackTracesAndBoundedLinesAndOthersServed()
    {
        await using var server = await DirectoryServerHost.StartAsync();
        using var raw = new RawGrpc(server.GrpcAddress);
        var before = server.Logs.Entries.Count;

        var statuses = new List<int>();
        for (var i = 0; i < 300; i++)
        {
            var body = (i % 3) switch
            {
                0 => RawGrpc.Frame(Garbage),
                1 => RawGrpc.Frame([0x0A], declaredLength: 50),
                _ => RawGrpc.Frame(Garbage, declaredLength: 100 * 1024 * 1024),
            };
            statuses.Add((await raw.CallAsync(Heartbeat, body).Within()).Status);
        }

        Assert.That(statuses.Distinct(), Is.SubsetOf(new[] { (int)StatusCode.InvalidArgument, (int)StatusCode.ResourceExhausted }));
        var written = server.Logs.Entries.Skip(before).Where(ProductionLogs.Visible).ToList();
        Assert.That(written.Where(e => e.Exception is not null), Is.Empty, "a refused request never logs a stack trace");
        Assert.That(written, Has.Count.LessThanOrEqualTo(10), "300 malformed requests write at most a few lines:\n" + string.Join("\n", written.Take(5)));
        await Innocent.AssertServedAsync(server);
        server.DeleteData();
    }
}
