namespace Mixnet.Directory.Server.Limits;

/// <summary>
/// The generic cell rate algorithm on one <c>long</c> (a theoretical arrival time in ticks): one
/// CAS, no lock, no allocation, so per-identity limits can live on the node's record.
/// </summary>
internal static class Gcra
{
    /// <summary>
    /// Spends <paramref name="costTicks"/> from a budget that refills one tick per tick and holds at
    /// most <paramref name="capacityTicks"/>. A refusal spends nothing.
    /// </summary>
    /// <param name="tat">The slot; 0 means "full budget" unless <paramref name="initialTat"/> says otherwise.</param>
    /// <param name="nowTicks">The current time in UTC ticks.</param>
    /// <param name="costTicks">What this request costs.</param>
    /// <param name="capacityTicks">The most that may be spent at once.</param>
    /// <param name="initialTat">The arrival time an unused slot stands for (0: the budget starts full).</param>
    /// <param name="retryAfterTicks">When refused, how long until the cost fits.</param>
    public static bool TryTake(ref long tat, long nowTicks, long costTicks, long capacityTicks, long initialTat, out long retryAfterTicks)
    {
        while (true)
        {
            var seen = Volatile.Read(ref tat);
            var start = Math.Max(seen == 0 ? initialTat : seen, nowTicks);
            var due = start + costTicks - capacityTicks;
            if (due > nowTicks)
            {
                retryAfterTicks = due - nowTicks;
                return false;
            }

            if (Interlocked.CompareExchange(ref tat, start + costTicks, seen) == seen)
            {
                retryAfterTicks = 0;
                return true;
            }
        }
    }
}
