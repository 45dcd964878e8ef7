using System.Collections.Immutable;
using Google.Protobuf.Collections;
using Microsoft.Extensions.Options;
using Mixnet.Directory.Server.Hosting;
using Mixnet.Directory.Server.Registry;
using Mixnet.Directory.Server.Topology;
using Mixnet.Directory.V1;

namespace Mixnet.Directory.Server.Quality;

/// <summary>
/// The quality concern's owner. Metrics reports add to the open period (<see cref="Report"/>, one
/// lock per reporting node); once per <see cref="QualityOptions.Period"/> <see cref="Tick"/>
/// closes it, judges its links (<see cref="LinkJudge"/>), updates each node's running scores,
/// hands the published values to the topology (one version at most, only when a value changed)
/// and saves them under <c>DataPath</c>.
/// </summary>
internal sealed class QualityTracker
{
    private readonly QualityOptions _options;
    private readonly Membership _membership;
    private readonly TimeProvider _time;
    private readonly ILogger<QualityTracker> _logger;
    private readonly QualityStore _store;
    private readonly Lock _tickGate = new();
    private readonly Dictionary<NodeId, NodeScore> _scores;
    private readonly int _windowPeriods;
    private readonly int _longPeriods;
    private OpenPeriod _open;
    private DateTimeOffset? _lastSaved;
    private ImmutableDictionary<NodeId, PublishedQuality> _published = ImmutableDictionary<NodeId, PublishedQuality>.Empty;

    public QualityTracker(IOptions<DirectoryOptions> options, Membership membership, TimeProvider time, ILogger<QualityTracker> logger)
    {
        _options = options.Value.Quality;
        _membership = membership;
        _time = time;
        _logger = logger;
        _store = new QualityStore(Path.Combine(options.Value.DataPath, "quality.json"));
        _windowPeriods = Periods(_options.Window);
        _longPeriods = Periods(_options.LongWindow);
        History = new QualityHistory(_windowPeriods);
        _open = new OpenPeriod(NewHopTable());
        try
        {
            _scores = _store.Load();
            if (_scores.Count > 0)
            {
                QualityLog.Restored(_logger, _scores.Count, _store.Path);
            }
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException or UnauthorizedAccessException)
        {
            QualityLog.RestoreFailed(_logger, _store.Path, ex.Message);
            _scores = [];
        }

        Publish();
    }

    public QualityOptions Options => _options;

    /// <summary>The published values by identity, as the topology carries them.</summary>
    public ImmutableDictionary<NodeId, PublishedQuality> Published => Volatile.Read(ref _published);

    public PublishedQuality? Find(NodeId id) => Published.GetValueOrDefault(id);

    /// <summary>Each listed node's published reliability per period over the window, for GetNode (read-only beside scoring).</summary>
    public QualityHistory History { get; }

    /// <summary>
    /// Adds one accepted metrics report to the open period. Never waits on the period loop; once
    /// the reporter's box and hops are known it allocates nothing (one string comparison per hop
    /// when the node lists its hops in the order it did before, else one lookup; <see cref="HopSlots"/>).
    /// </summary>
    public void Report(NodeId reporter, ulong received, MapField<string, ulong> sent, MapField<string, ulong> receivedFrom)
    {
        if (!_options.Enabled)
        {
            return;
        }

        while (true)
        {
            var period = Volatile.Read(ref _open);
            var box = period.Boxes.GetOrAdd(reporter, static (_, p) => new HopCountsBox(p.Hops), period);
            if (box.TryAdd(received, sent, receivedFrom, _options.MaxHopsPerNode))
            {
                return;
            }
        }
    }

    /// <summary>Closes the open period and scores it.</summary>
    /// <returns>Each listed node's verdict for the period.</returns>
    public IReadOnlyDictionary<NodeId, PeriodVerdict> Tick()
    {
        lock (_tickGate)
        {
            var hops = Volatile.Read(ref _open).Hops;
            var closed = Interlocked.Exchange(ref _open, new OpenPeriod(hops.NearlyFull ? NewHopTable() : hops));
            foreach (var (_, box) in closed.Boxes)
            {
                box.Seal();
            }

            var state = _membership.State;
            var listed = new List<QualityNode>(state.Nodes.Count);
            foreach (var (id, record) in state.Nodes)
            {
                listed.Add(new QualityNode(id, record.Endpoint, record.Role == NodeRole.Mixnode));
            }

            var verdicts = LinkJudge.Judge(listed, closed.Boxes, closed.Hops, _options);
            var now = _time.GetUtcNow();
            int judged = 0, excluded = 0;
            foreach (var (id, verdict) in verdicts)
            {
                if (!_scores.TryGetValue(id, out var score))
                {
                    _scores[id] = score = NodeScore.New(_options);
                }

                score.AddPresence(true, _windowPeriods, _longPeriods);
                if (verdict.Reliability is { } sample)
                {
                    score.AddReliability(sample, _windowPeriods, _longPeriods, _options.PriorWeight);
                    judged++;
                }

                score.Excluded = verdict.Excluded;
                excluded += verdict.Excluded ? 1 : 0;
                score.LastListed = now;
            }

            Age(verdicts, now);
            var changed = Publish();
            History.Record(now, Published, verdicts.Keys);
            QualityLog.Scored(_logger, listed.Count, judged, excluded, changed);
            if (_lastSaved is not { } saved || now - saved >= _options.SaveInterval)
            {
                Save(now);
            }

            return verdicts;
        }
    }

    /// <summary>Writes the scores now (the loop calls it when the directory stops, so at most <see cref="QualityOptions.SaveInterval"/> is lost only on a crash).</summary>
    public void SaveNow()
    {
        lock (_tickGate)
        {
            Save(_time.GetUtcNow());
        }
    }

    private void Save(DateTimeOffset now)
    {
        try
        {
            _store.Save(_scores);
            _lastSaved = now;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            QualityLog.SaveFailed(_logger, _store.Path, ex.Message);
        }
    }

    /// <summary>Absent nodes count as down; after the long window, or past the node cap, they are forgotten.</summary>
    private void Age(Dictionary<NodeId, PeriodVerdict> listed, DateTimeOffset now)
    {
        List<NodeId>? forget = null;
        foreach (var (id, score) in _scores)
        {
            if (listed.ContainsKey(id))
            {
                continue;
            }

            score.AddPresence(false, _windowPeriods, _longPeriods);
            if (score.ReliabilitySamples > 0)
            {
                score.AddReliability(0, _windowPeriods, _longPeriods, _options.PriorWeight);
            }

            score.Excluded = false;
            if (now - score.LastListed > _options.LongWindow)
            {
                (forget ??= []).Add(id);
            }
        }

        if (_scores.Count - (forget?.Count ?? 0) > _options.MaxTrackedNodes)
        {
            forget ??= [];
            forget.AddRange(_scores.Where(p => !listed.ContainsKey(p.Key)).OrderBy(p => p.Value.LastListed).Take(_scores.Count - _options.MaxTrackedNodes).Select(p => p.Key));
        }

        foreach (var id in forget ?? [])
        {
            _scores.Remove(id);
        }
    }

    /// <returns>How many published values changed.</returns>
    /// <remarks>
    /// The new table is the previous one with only the changed and forgotten entries edited, so it
    /// shares every unchanged node with it: a rebuild made a whole new tree each period (about
    /// 90 B per node, kept alive by the topology versions still holding the old one for a minute,
    /// then dying in gen2).
    /// </remarks>
    private int Publish()
    {
        var previous = Published;
        var table = previous.ToBuilder();
        int changed = 0, added = 0;
        foreach (var (id, score) in _scores)
        {
            var known = previous.TryGetValue(id, out var before);
            if (known && before!.Publishes(score.Reliability, score.Reliability24h, score.Uptime, score.Excluded))
            {
                continue; // Same object: the topology sees no change, and nothing is serialized again.
            }

            table[id] = new PublishedQuality(id, score.Reliability, score.Reliability24h, score.Uptime, score.Excluded);
            changed++;
            added += known ? 0 : 1;
        }

        // Some published entries were forgotten only when the table would otherwise outnumber the scores.
        if (previous.Count + added > _scores.Count)
        {
            foreach (var id in previous.Keys)
            {
                if (!_scores.ContainsKey(id))
                {
                    table.Remove(id);
                }
            }
        }

        var published = table.ToImmutable();
        Volatile.Write(ref _published, published);
        _membership.SetQuality(published);
        return changed;
    }

    private HopTable NewHopTable() =>
        new(() => _membership.Version, () => _membership.State.Nodes.Values.Select(static r => r.Endpoint), _time, _options.MaxTrackedNodes);

    private int Periods(TimeSpan span) => (int)Math.Max(1, Math.Round(span / _options.Period));
}
