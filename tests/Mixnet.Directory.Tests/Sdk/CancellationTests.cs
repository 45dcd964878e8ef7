using System.Runtime.CompilerServices;
using Grpc.Core;
using Microsoft.Extensions.Time.Testing;
using Mixnet.Directory.Client;
using Mixnet.Directory.Tests.Infrastructure;
using Mixnet.Directory.V1;
using NSec.Cryptography;
using static Mixnet.Directory.Tests.Sdk.SdkTestData;

namespace Mixnet.Directory.Tests.Sdk;

/// <summary>The caller's cancellation surfaces as OperationCanceledException, as grpc-dotnet users expect, not as RpcException(CANCELLED).</summary>
public sealed class CancellationTests
{
    private Key _key = null!;
    private FakeCallInvoker _directory = null!;

    [SetUp]
    public void SetUp()
    {
        _key = NewDirectoryKey();
        _directory = new FakeCallInvoker();
    }

    [TearDown]
    public void TearDown() => _key.Dispose();

    [Test]
    public async Task WatchTopologyAsync_TokenCancelledWhileWaiting_EndsWithOperationCanceled()
    {
        _directory.OnStreamAsync<WatchTopologyRequest, WatchTopologyResponse>("WatchTopology", (_, ct) => SnapshotThenSilence(ct));
        await using var client = new DirectoryClient(_directory, Pinned());
        using var cts = new CancellationTokenSource();
        var seen = 0;

        var ex = Assert.CatchAsync(async () =>
        {
            await foreach (var update in client.WatchTopologyAsync(cts.Token))
            {
                seen++;
                await cts.CancelAsync();
            }
        });

        Assert.That(ex, Is.InstanceOf<OperationCanceledException>());
        Assert.That(((OperationCanceledException)ex!).CancellationToken, Is.EqualTo(cts.Token));
        Assert.That(seen, Is.EqualTo(1));
    }

    [Test]
    public async Task StreamMetricsAsync_TokenCancelledWhileWaiting_EndsWithOperationCanceled()
    {
        _directory.OnStreamAsync<StreamMetricsRequest, StreamMetricsResponse>("StreamMetrics", (_, ct) => Silence<StreamMetricsResponse>(ct));
        await using var client = new DirectoryClient(_directory, Pinned());
        using var cts = new CancellationTokenSource();

        var enumeration = client.StreamMetricsAsync(cancellationToken: cts.Token).ToListAsync(CancellationToken.None).AsTask();
        await WaitForCallAsync("StreamMetrics");
        await cts.CancelAsync();

        Assert.That(async () => await enumeration.Within(), Throws.InstanceOf<OperationCanceledException>());
    }

    [Test]
    public async Task GetTopologyAsync_TokenCancelledDuringTheCall_ThrowsOperationCanceled()
    {
        _directory.OnUnaryAsync<GetTopologyRequest, GetTopologyResponse>("GetTopology", (_, ct) => FakeCallInvoker.Never<GetTopologyResponse>(ct));
        await using var client = new DirectoryClient(_directory, Pinned());
        using var cts = new CancellationTokenSource();

        var call = client.GetTopologyAsync(cts.Token);
        await WaitForCallAsync("GetTopology");
        await cts.CancelAsync();

        Assert.That(async () => await call.Within(), Throws.InstanceOf<OperationCanceledException>());
    }

    [Test]
    public async Task GetTopologyAsync_DirectorySilentPastCallTimeout_ThrowsDeadlineExceeded()
    {
        var time = new FakeTimeProvider(Epoch);
        _directory.OnUnaryAsync<GetTopologyRequest, GetTopologyResponse>("GetTopology", (_, ct) => FakeCallInvoker.Never<GetTopologyResponse>(ct));
        var options = Pinned();
        options.CallTimeout = TimeSpan.FromSeconds(3);
        await using var client = new DirectoryClient(_directory, options, timeProvider: time);

        var call = client.GetTopologyAsync();
        await WaitForCallAsync("GetTopology");
        time.Advance(TimeSpan.FromSeconds(3));

        var ex = Assert.CatchAsync<RpcException>(async () => await call.Within());
        Assert.That(ex!.StatusCode, Is.EqualTo(StatusCode.DeadlineExceeded), "a timeout is not the caller's cancellation");
    }

    private DirectoryClientOptions Pinned() => new() { PinnedDirectoryKey = PublicKey(_key) };

    private async IAsyncEnumerable<WatchTopologyResponse> SnapshotThenSilence([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        yield return new WatchTopologyResponse { Snapshot = Sign(_key, Snapshot(1, Mixnode(1, 1))) };
        await Task.Delay(Timeout.Infinite, cancellationToken);
    }

    private static async IAsyncEnumerable<T> Silence<T>([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await Task.Delay(Timeout.Infinite, cancellationToken);
        yield break;
    }

    private Task WaitForCallAsync(string method) => _directory.WhenCalled(method).Within();
}
