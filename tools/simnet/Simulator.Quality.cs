using System.Text.Json;
using Mixnet.Directory.Client;
using Mixnet.Directory.Files;
using static System.FormattableString;

namespace Mixnet.Directory.Simnet;

/// <summary>Misbehaving nodes (droppers, liars), the truth file, and what the directory's scores make of them.</summary>
public sealed partial class Simulator
{
    private readonly Lock _behaviourGate = new();

    private (bool Dropper, bool Liar) ChooseBehaviour()
    {
        lock (_behaviourGate)
        {
            var roll = _behaviourRandom.NextDouble();
            return (roll < _options.DropperShare, roll >= _options.DropperShare && roll < _options.DropperShare + _options.LiarShare);
        }
    }

    /// <summary>Writes which running nodes are droppers and liars, for a checker to compare with the directory's scores.</summary>
    private void WriteTruth()
    {
        if (_options.TruthOut is not { } path)
        {
            return;
        }

        var nodes = _active.Values.ToList();
        var truth = new Dictionary<string, List<string>>
        {
            ["droppers"] = [.. nodes.Where(n => n.IsDropper).Select(n => Convert.ToHexStringLower(n.IdentityKey.Span))],
            ["liars"] = [.. nodes.Where(n => n.IsLiar).Select(n => Convert.ToHexStringLower(n.IdentityKey.Span))],
        };
        AtomicFile.Write(path, JsonSerializer.SerializeToUtf8Bytes(truth), overwrite: true, ownerOnly: false);
    }

    /// <summary>" | droppers 5 (2 excluded) | liars 5 | honest below 0.5: 0", or empty with no misbehaviour configured.</summary>
    private string QualityStatus(Topology? topology)
    {
        if (_options.DropperShare == 0 && _options.LiarShare == 0 && _options.LinkLoss == 0)
        {
            return string.Empty;
        }

        var nodes = _active.Values.Where(n => n.Role == NodeRole.Mixnode).ToList();
        var droppers = nodes.Count(n => n.IsDropper);
        var liars = nodes.Count(n => n.IsLiar);
        if (topology is null)
        {
            return Invariant($" | droppers {droppers} | liars {liars}");
        }

        var threshold = RouteSelectionOptions.Default.MinReliability;
        int excludedDroppers = 0, lowDroppers = 0, lowHonest = 0, scored = 0;
        foreach (var n in nodes)
        {
            if (topology.GetQuality(n.IdentityKey.Span) is not { } q)
            {
                continue;
            }

            scored++;
            if (n.IsDropper)
            {
                excludedDroppers += q.Excluded ? 1 : 0;
                lowDroppers += q.Reliability < threshold ? 1 : 0;
            }
            else if (!n.IsLiar && (q.Reliability < threshold || q.Excluded))
            {
                lowHonest++;
            }
        }

        return Invariant($" | droppers {droppers} ({lowDroppers} below {threshold}, {excludedDroppers} excluded) | liars {liars} | honest below {threshold}: {lowHonest} ({scored} scored)");
    }
}
