using System.Collections.Concurrent;
using Mixnet.Directory.Server.Admin;
using Mixnet.Directory.Server.Errors;
using Mixnet.Directory.Server.Hosting;
using Mixnet.Directory.Server.Keys;
using Mixnet.Directory.Server.Limits;
using Mixnet.Directory.Server.Metrics;
using Mixnet.Directory.Server.Presence;
using Mixnet.Directory.Server.Registry;
using Mixnet.Directory.Server.Telemetry;
using Mixnet.Directory.Server.Topology;
using Mixnet.Directory.Tests.Infrastructure;
using Mixnet.Directory.Tests.Unit.Support;

namespace Mixnet.Directory.Tests.Unit.Domain;

public sealed class NodeRegistryConcurrencyTests
{
    private const int Workers = 32;
    private const int OpsPerWorker = 200;

    [Test]
    [CancelAfter(60_000)]
    public async Task Registry_ConcurrentRegisterHeartbeatDeregisterAndExpiry_NoLostOrPhantomNodes()
    {
        using var h = new RegistryHarness(o =>
        {
            o.PresenceTtl = TimeSpan.FromSeconds(20);
            o.MaxClockSkew = TimeSpan.FromHours(1);
        });
        var events = new ConcurrentQueue<ulong>();
        h.Membership.Changed += events.Enqueue;
        var initialVersion = h.Membership.State.Version;
        var registrations = 0;
        var deregistrations = 0;
        var expiredTotal = 0;
        var opsDone = 0;
        using var stop = new CancellationTokenSource();

        // One clock and sweeper thread, the way ExpirySweeper runs beside the gRPC handlers. The
        // clock is paced by the workers' progress (1 s per 50 operations, about 128 s in all), so
        // some nodes outlive the 20 s TTL by heartbeating and others expire.
        var sweeper = Task.Factory.StartNew(() =>
        {
            var advancedAt = 0;
            while (!stop.IsCancellationRequested)
            {
                var done = Volatile.Read(ref opsDone);
                if (done - advancedAt >= 50)
                {
                    h.Time.Advance(TimeSpan.FromSeconds(1));
                    advancedAt = done;
                }

                Interlocked.Add(ref expiredTotal, h.Registry.ExpireDue());
                Thread.Yield();
            }
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

        // A reader that checks versions never go back and the state is always self-consistent.
        var observer = Task.Factory.StartNew(() =>
        {
            var last = 0UL;
            while (!stop.IsCancellationRequested)
            {
                var state = h.Membership.State;
                if (state.Version < last)
                {
                    return $"version went back from {last} to {state.Version}";
                }

                last = state.Version;
                Thread.Yield();
            }

            return (string?)null;
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

        var workers = Enumerable.Range(0, Workers).Select(w => Task.Run(() =>
        {
            var random = new Random(w);
            var mine = new List<(TestNode Node, byte[] Token)>();
            var gone = new List<TestNode>();
            for (var op = 0; op < OpsPerWorker; op++)
            {
                Interlocked.Increment(ref opsDone);
                var roll = random.Next(10);
                if (roll < 4 || mine.Count == 0)
                {
                    // Each worker has its own port range, so endpoints never collide across workers.
                    var node = TestNode.Mixnode(layer: (uint)(1 + (op % 3)), host: $"w{w}.example.org", mixPort: (uint)(1000 + op));
                    var result = h.Register(node);
                    Interlocked.Increment(ref registrations);
                    mine.Add((node, result.LeaseToken));
                }
                else if (roll < 9)
                {
                    var i = random.Next(mine.Count);
                    var outcome = h.Heartbeat(mine[i].Node.IdentityKey.Span, mine[i].Token);
                    Assert.That(outcome, Is.Not.EqualTo(HeartbeatOutcome.WrongToken));
                    if (outcome == HeartbeatOutcome.NotFound)
                    {
                        gone.Add(mine[i].Node);
                        mine.RemoveAt(i);
                    }
                }
                else
                {
                    var i = random.Next(mine.Count);
                    try
                    {
                        h.Registry.Deregister(mine[i].Node.IdentityKey.Span, mine[i].Token);
                        Interlocked.Increment(ref deregistrations);
                    }
                    catch (DirectoryException ex) when (ex.Kind == DirectoryErrorKind.NotFound)
                    {
                        // The sweeper took it first.
                    }

                    gone.Add(mine[i].Node);
                    mine.RemoveAt(i);
                }
            }

            return (Mine: mine, Gone: gone);
        })).ToArray();

        var results = await Task.WhenAll(workers).WaitAsync(TimeSpan.FromSeconds(50));
        await stop.CancelAsync();
        await sweeper.WaitAsync(TimeSpan.FromSeconds(10));
        var observed = await observer.WaitAsync(TimeSpan.FromSeconds(10));

        // Settle: with the clock stopped, the lease check tells which of our nodes are still live
        // (a heartbeat could be refused by the per-identity rate limit after a busy run);
        // the ones that are not must all go in one final sweep.
        var believed = new HashSet<string>();
        foreach (var (node, token) in results.SelectMany(r => r.Mine))
        {
            if (h.Leases.Check(node.IdentityKey.Span, token) == HeartbeatOutcome.Renewed)
            {
                believed.Add(Convert.ToHexString(node.IdentityKey.Span));
            }
        }

        expiredTotal += h.Registry.ExpireDue();
        var stateKeys = h.Membership.State.Nodes.Values.Select(r => Convert.ToHexString(r.Descriptor.IdentityKey.Span)).ToHashSet();
        var eventVersions = events.ToArray();

        Assert.Multiple(() =>
        {
            Assert.That(observed, Is.Null);
            Assert.That(believed, Is.Not.Empty, "the test should leave some nodes alive");
            Assert.That(expiredTotal, Is.GreaterThan(0), "the test should expire some nodes");
            Assert.That(deregistrations, Is.GreaterThan(0), "the test should deregister some nodes");
            Assert.That(h.Leases.Count, Is.EqualTo(believed.Count), "registry count");
            Assert.That(stateKeys, Is.EquivalentTo(believed), "topology node set");
            Assert.That(h.Leases.Count, Is.EqualTo(registrations - deregistrations - expiredTotal), "every join is accounted for by a leave");
            Assert.That(eventVersions, Is.Unique, "each change has its own version");
            Assert.That(h.Membership.State.Version, Is.EqualTo(initialVersion + (ulong)eventVersions.Length), "versions are contiguous");
            Assert.That(eventVersions.Max(), Is.EqualTo(h.Membership.State.Version));
            foreach (var node in results.SelectMany(r => r.Gone))
            {
                Assert.That(h.Leases.Find(node.IdentityKey.Span), Is.Null, "a node that left came back");
            }
        });

        foreach (var (node, _) in results.SelectMany(r => r.Mine))
        {
            node.Dispose();
        }

        foreach (var node in results.SelectMany(r => r.Gone))
        {
            node.Dispose();
        }
    }
}
