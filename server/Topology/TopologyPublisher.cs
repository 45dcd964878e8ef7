using System.Runtime.CompilerServices;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Microsoft.Extensions.Options;
using Mixnet.Directory.Server.Hosting;
using Mixnet.Directory.Server.Keys;
using Mixnet.Directory.Server.Quality;
using Mixnet.Directory.Server.Registry;
using Mixnet.Directory.Signing;
using Mixnet.Directory.V1;

namespace Mixnet.Directory.Server.Topology;

/// <summary>
/// Turns registry changes into signed, versioned publications: a snapshot built once per
/// version and shared by every request, and one delta per batch of changes fanned out to
/// watchers. Changes within <see cref="DirectoryOptions.TopologyBatchWindow"/> are coalesced.
/// </summary>
internal sealed class TopologyPublisher : IDisposable
{
    private readonly Membership _membership;
    private readonly DirectorySigningKey _key;
    private readonly TimeProvider _time;
    private readonly ILogger<TopologyPublisher> _logger;
    private readonly DirectoryOptions _options;
    private readonly Lock _publishGate = new();
    private readonly Lock _watchersGate = new();
    private readonly SemaphoreSlim _changed = new(0, 1);
    private TopologyWatcher[] _watchers = [];
    private readonly PublishedHistory _history = new();
    private volatile PublishedTopology _published;

    public TopologyPublisher(Membership membership, DirectorySigningKey key, IOptions<DirectoryOptions> options, TimeProvider time, ILogger<TopologyPublisher> logger)
    {
        _membership = membership;
        _key = key;
        _time = time;
        _logger = logger;
        _options = options.Value;
        _published = new PublishedTopology(membership.State, time.GetUtcNow(), BuildSnapshot);
        _history.Add(_published);
        membership.Changed += OnTopologyChanged;
    }

    /// <summary>The latest published version, which may lag the registry by one batch window.</summary>
    public PublishedTopology Current => _published;

    /// <summary>The last <see cref="PublishedHistory.Capacity"/> publications, for versioned URLs.</summary>
    public PublishedHistory History => _history;

    /// <summary>
    /// The version every read serves: the latest publication, published first when the registry
    /// is ahead of it. So a fetch started after a write was acknowledged sees that write, while
    /// watchers still get one delta per batch when nobody reads in between (publish-on-read).
    /// </summary>
    public PublishedTopology Latest()
    {
        var current = _published;
        if (_membership.Version == current.Version)
        {
            return current;
        }

        PublishPending();
        return _published;
    }

    public int WatcherCount => Volatile.Read(ref _watchers).Length;

    /// <summary>Raised after a watcher was added or removed.</summary>
    public event Action? WatchersChanged;

    /// <summary>Waits for a change, lets the batch window gather more, and publishes. Runs until cancelled.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            await _changed.WaitAsync(cancellationToken);
            if (_options.TopologyBatchWindow > TimeSpan.Zero)
            {
                await Task.Delay(_options.TopologyBatchWindow, _time, cancellationToken);
            }

            try
            {
                PublishPending();
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                TopologyLog.PublishFailed(_logger, ex);
            }
        }
    }

    /// <summary>Publishes the registry's current state if it is newer than the last publication.</summary>
    /// <returns>The delta sent to watchers, or null when nothing changed.</returns>
    public PublishedDelta? PublishPending()
    {
        lock (_publishGate)
        {
            var previous = _published;
            var state = _membership.State;
            if (state.Version == previous.Version)
            {
                return null;
            }

            var issuedAt = Timestamp.FromDateTimeOffset(_time.GetUtcNow());
            var upserted = new List<NodeRecord>();
            var removed = new List<NodeId>();
            var quality = new List<PublishedQuality>();
            var touched = _membership.TakeChangesSince(previous.Version, state.Version).ToList();
            touched.Sort();
            foreach (var id in touched)
            {
                var isNew = state.Nodes.TryGetValue(id, out var now);
                var wasOld = previous.State.Nodes.TryGetValue(id, out var before);
                if (isNew && (!wasOld || !ReferenceEquals(now, before)))
                {
                    upserted.Add(now!);
                }

                // A node's quality travels when it changed or the node (re)appeared.
                if (isNew && state.Quality.TryGetValue(id, out var score)
                    && (!wasOld || !ReferenceEquals(score, previous.State.Quality.GetValueOrDefault(id))))
                {
                    quality.Add(score);
                }
                else if (!isNew && wasOld)
                {
                    removed.Add(id);
                }
            }

            var bytes = TopologyWire.Delta(previous.Version, state.Version, issuedAt, upserted, removed, quality);
            var signed = new SignedTopologyDelta
            {
                Delta = UnsafeByteOperations.UnsafeWrap(bytes),
                Signature = UnsafeByteOperations.UnsafeWrap(_key.Sign(SignatureDomain.TopologyDelta, bytes)),
            };
            var published = new PublishedDelta(previous.Version, state.Version, new WatchTopologyResponse { Delta = signed });
            _published = new PublishedTopology(state, _time.GetUtcNow(), BuildSnapshot);
            _history.Add(_published);
            var watchers = Volatile.Read(ref _watchers);
            foreach (var watcher in watchers)
            {
                watcher.Offer(published);
            }

            TopologyLog.Published(_logger, state.Version, upserted.Count, removed.Count, watchers.Length);
            return published;
        }
    }

    /// <summary>The signed snapshot of a published version, built once and shared by every caller.</summary>
    public static SignedTopology GetSnapshot(PublishedTopology published) => published.Snapshot;

    /// <summary>
    /// A watch: a snapshot unless <paramref name="knownVersion"/> is current, then contiguous
    /// deltas. A watcher that falls behind gets a fresh snapshot and continues from there.
    /// </summary>
    public async IAsyncEnumerable<WatchTopologyResponse> WatchAsync(ulong knownVersion, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var watcher = new TopologyWatcher(_options.WatchQueueLength);
        AddWatcher(watcher);
        try
        {
            // Registered before reading the current version, so no delta after it can be missed.
            var current = Latest();
            ulong position;
            if (knownVersion != 0 && knownVersion == current.Version)
            {
                position = knownVersion;
            }
            else
            {
                yield return new WatchTopologyResponse { Snapshot = GetSnapshot(current) };
                position = current.Version;
            }

            while (true)
            {
                if (watcher.TakeOverflow())
                {
                    current = _published;
                    TopologyLog.WatcherResynced(_logger, current.Version);
                    yield return new WatchTopologyResponse { Snapshot = GetSnapshot(current) };
                    position = current.Version;
                    continue;
                }

                if (!watcher.Reader.TryRead(out var delta))
                {
                    await watcher.Reader.WaitToReadAsync(cancellationToken);
                    continue;
                }

                if (delta.ToVersion <= position)
                {
                    continue; // Already covered by the snapshot this watcher was sent.
                }

                if (delta.FromVersion != position)
                {
                    current = _published;
                    yield return new WatchTopologyResponse { Snapshot = GetSnapshot(current) };
                    position = current.Version;
                    continue;
                }

                yield return delta.Message;
                position = delta.ToVersion;
            }
        }
        finally
        {
            RemoveWatcher(watcher);
        }
    }

    public void Dispose()
    {
        _membership.Changed -= OnTopologyChanged;
        _changed.Dispose();
    }

    private void OnTopologyChanged(ulong version)
    {
        // At most one pending signal: changes that arrive during a batch ride along with it.
        if (_changed.CurrentCount == 0)
        {
            try
            {
                _changed.Release();
            }
            catch (SemaphoreFullException)
            {
            }
        }
    }

    private SignedTopology BuildSnapshot(PublishedTopology published)
    {
        var issuedAt = Timestamp.FromDateTimeOffset(published.PublishedAt);
        var nodes = TopologyWire.InSnapshotOrder(published.State.Nodes);
        var quality = TopologyWire.QualityOf(published.State.Nodes, published.State.Quality);

        // Written once, from the bytes the records keep, straight into the buffer that is signed;
        // the published bytes are a slice of it, so a 100,000-node snapshot costs one array and
        // parses no descriptor.
        var size = TopologyWire.SnapshotSize(published.Version, issuedAt, nodes, quality);
        var prefixLength = DirectorySignatures.Prefix(SignatureDomain.Topology).Length;
        var buffer = DirectorySignatures.NewPrefixedBuffer(SignatureDomain.Topology, size);
        using (var payload = new MemoryStream(buffer, prefixLength, size, writable: true))
        {
            using var output = new CodedOutputStream(payload, leaveOpen: true);
            TopologyWire.WriteSnapshot(output, published.Version, issuedAt, nodes, quality);
            output.Flush();
            if (payload.Position != size)
            {
                throw new InvalidOperationException($"the snapshot's size was computed as {size} bytes but {payload.Position} were written");
            }
        }

        return new SignedTopology
        {
            Topology = UnsafeByteOperations.UnsafeWrap(buffer.AsMemory(prefixLength)),
            Signature = UnsafeByteOperations.UnsafeWrap(_key.SignPrefixed(SignatureDomain.Topology, buffer)),
        };
    }

    private void AddWatcher(TopologyWatcher watcher)
    {
        lock (_watchersGate)
        {
            _watchers = [.. _watchers, watcher];
        }

        WatchersChanged?.Invoke();
    }

    private void RemoveWatcher(TopologyWatcher watcher)
    {
        lock (_watchersGate)
        {
            _watchers = Array.FindAll(_watchers, w => !ReferenceEquals(w, watcher));
        }

        WatchersChanged?.Invoke();
    }
}
