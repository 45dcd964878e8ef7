using Google.Protobuf;
using Mixnet.Directory.Tests.Infrastructure;
using Mixnet.Directory.Tests.Unit.Support;
using Mixnet.Directory.V1;

namespace Mixnet.Directory.Tests.History.Model;

/// <summary>
/// Runs one sequence of operations against a fresh registry and the model side by side and throws
/// at the first step where they differ: an answer, the published nodes and descriptors, the record
/// count, or the version (it must rise on every membership change and only then).
/// </summary>
internal sealed class ModelRun : IDisposable
{
    public const int NodeCount = 3;

    private readonly RegistryUnderTest _registry = new();
    private readonly RegistryModel _model;
    private readonly TestNode[] _nodes;
    private readonly byte[][] _leases = [.. Enumerable.Range(0, NodeCount).Select(_ => new byte[32])];
    private readonly List<SignedDescriptor>[] _captured = [.. Enumerable.Range(0, NodeCount).Select(_ => new List<SignedDescriptor>())];
    private readonly int[] _revisions = new int[NodeCount];
    private readonly DateTimeOffset[] _lastSignedAt = new DateTimeOffset[NodeCount];

    private ModelRun()
    {
        _model = new RegistryModel(_registry.Ttl, _registry.MaxClockSkew);
        _nodes = [.. Enumerable.Range(0, NodeCount).Select(_ => _registry.NewNode())];
    }

    public static void Execute(ModelOp[] ops)
    {
        using var run = new ModelRun();
        for (var step = 0; step < ops.Length; step++)
        {
            var before = run._registry.Version;
            var (expected, actual, changed) = run.Apply(ops[step]);
            var after = run._registry.Version;
            string? problem = null;
            if (expected != actual)
            {
                problem = $"the registry answered {actual}, the model expects {expected}";
            }
            else if (changed ? after <= before : after != before)
            {
                problem = $"the version went from {before} to {after} on {(changed ? "a" : "no")} membership change";
            }
            else if (run.PublishedDiffers(out var difference))
            {
                problem = difference;
            }
            else if (run._registry.Count != run._model.Nodes.Count)
            {
                problem = $"the registry holds {run._registry.Count} records, the model {run._model.Nodes.Count}";
            }

            if (problem is not null)
            {
                throw new ModelMismatchException(
                    $"step {step + 1} of [{string.Join(", ", ops.Take(step + 1))}]: {ops[step]}: {problem}; model {run._model}");
            }
        }
    }

    public void Dispose() => _registry.Dispose();

    private (string Expected, string Actual, bool Changed) Apply(ModelOp op)
    {
        var n = op.Node;
        var now = _registry.Now;
        switch (op.Kind)
        {
            case ModelOpKind.Register:
            case ModelOpKind.ReRegister:
                if (op.Kind == ModelOpKind.ReRegister)
                {
                    _revisions[n]++;
                    _nodes[n].Version = $"1.0.{_revisions[n]}";
                    _nodes[n].Location = $"Rack {_revisions[n]}";
                }

                // Fresh: signed now, and always after the node's previous registration.
                var signedAt = now > _lastSignedAt[n] ? now : _lastSignedAt[n].AddMilliseconds(1);
                _lastSignedAt[n] = signedAt;
                return Register(n, _nodes[n].Sign(signedAt));
            case ModelOpKind.Replay:
                return _captured[n].Count == 0 ? ("nothing", "nothing", false) : Register(n, _captured[n][op.Arg % _captured[n].Count]);
            case ModelOpKind.Heartbeat:
                return (_model.Heartbeat(n, now), _registry.Heartbeat(_nodes[n].IdentityKey.ToByteArray(), _leases[n]), false);
            case ModelOpKind.Deregister:
                var (outcome, removed) = _model.Deregister(n, now);
                return (outcome, _registry.Deregister(_nodes[n].IdentityKey.ToByteArray(), _leases[n]), removed);
            case ModelOpKind.Ban:
                _registry.Ban(_nodes[n].IdentityKey.ToByteArray());
                return ("banned", "banned", _model.Ban(n));
            case ModelOpKind.Unban:
                _registry.Unban(_nodes[n].IdentityKey.ToByteArray());
                _model.Unban(n);
                return ("unbanned", "unbanned", false);
            case ModelOpKind.Advance:
                _registry.Advance(_registry.HeartbeatInterval * (op.Arg + 1));
                return ("advanced", "advanced", false);
            case ModelOpKind.Expire:
                _registry.Advance(_registry.Ttl + _registry.SweepInterval + TimeSpan.FromTicks(1));
                return Sweep();
            default:
                return Sweep();
        }
    }

    private (string Expected, string Actual, bool Changed) Register(int n, SignedDescriptor signed)
    {
        var (expected, changed) = _model.Register(n, NodeDescriptor.Parser.ParseFrom(signed.Descriptor), _registry.Now);
        var (actual, lease, version) = _registry.Register(signed);
        if (lease is not null)
        {
            _leases[n] = lease;
            _captured[n].Add(signed);
            if (version != _registry.Version)
            {
                actual += $" with topology_version {version} while the registry is at {_registry.Version}";
            }
        }

        return (expected, actual, changed);
    }

    private (string Expected, string Actual, bool Changed) Sweep()
    {
        var expected = _model.Sweep(_registry.Now);
        var actual = _registry.Sweep();
        return ($"{expected} expired", $"{actual} expired", expected > 0);
    }

    private bool PublishedDiffers(out string difference)
    {
        var published = _registry.Published;
        var expected = _model.Nodes.ToDictionary(n => ByteString.CopyFrom(_nodes[n.Key].IdentityKey.ToByteArray()), n => n.Value.Published);
        var wrong = expected.Keys.Union(published.Keys)
            .Where(k => !published.TryGetValue(k, out var actual) || !expected.TryGetValue(k, out var wanted) || !actual.Equals(wanted))
            .Select(k => $"n{Array.FindIndex(_nodes, x => ByteString.CopyFrom(x.IdentityKey.ToByteArray()) == k)} published {Show(published.GetValueOrDefault(k))}, model {Show(expected.GetValueOrDefault(k))}")
            .ToList();
        difference = string.Join("; ", wrong);
        return wrong.Count > 0;
    }

    private static string Show(NodeDescriptor? descriptor) => descriptor is null ? "absent" : $"v{descriptor.Version} signed {descriptor.SignedAt.ToDateTimeOffset():HH:mm:ss.fff}";
}
