using Mixnet.Directory.Signing;

namespace Mixnet.Directory.Cli.Consensus;

/// <summary>
/// What <c>mixdir consensus</c> checks against: the authorities to ask, the pinned keys (sorted, as
/// <see cref="ConsensusVerifier"/> wants them) and the threshold; or no check at all (--no-verify).
/// </summary>
public sealed record ConsensusTrust(IReadOnlyList<string> Addresses, byte[][] SortedKeys, int Threshold, bool Verify)
{
    /// <summary>
    /// Checks the keys and threshold with the SDK's own rules (32-byte keys, a threshold between a
    /// strict majority and N). A key given twice (as URL=KEY and --authority-key) counts once.
    /// </summary>
    public static ConsensusTrust? Create(IReadOnlyList<string> addresses, IEnumerable<byte[]> keys, int? threshold, bool noVerify, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(addresses);
        ArgumentNullException.ThrowIfNull(keys);
        var distinct = keys.DistinctBy(Convert.ToHexString).ToArray();
        if (distinct.Length == 0)
        {
            if (noVerify)
            {
                problem = null;
                return new ConsensusTrust(addresses, [], 0, Verify: false);
            }

            problem = "no authority key is pinned: give each authority as --authority URL=KEY or add --authority-key KEY "
                + "(a consensus proves nothing without keys known beforehand), or pass --no-verify to look at it unchecked.";
            return null;
        }

        var required = threshold ?? ConsensusVerifier.Threshold(distinct.Length);
        try
        {
            var sorted = ConsensusVerifier.CheckConfiguration(distinct, required);
            problem = null;
            return new ConsensusTrust(addresses, sorted, required, Verify: !noVerify);
        }
        catch (ArgumentOutOfRangeException)
        {
            problem = $"--threshold: {required} is not between {ConsensusVerifier.Threshold(distinct.Length)} (a strict majority of the {distinct.Length} pinned keys) and {distinct.Length}.";
            return null;
        }
        catch (ArgumentException ex)
        {
            problem = "--authority-key: " + ex.Message;
            return null;
        }
    }
}
