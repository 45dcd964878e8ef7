namespace Mixnet.Directory.Client.Internal;

/// <summary>
/// When to ask the authorities again. The first try is at a random point in the last tenth of the
/// epoch before <c>fresh_until</c>, so clients do not all ask at one instant; the authorities
/// publish the next consensus a little after the epoch starts, so past <c>fresh_until</c> the client
/// polls every eighth of an epoch (jittered) until it gets the newer one.
/// </summary>
internal static class ConsensusSchedule
{
    public static readonly TimeSpan MinPoll = TimeSpan.FromMilliseconds(250);
    public static readonly TimeSpan MaxPoll = TimeSpan.FromMinutes(5);

    /// <summary>The wait before the next fetch, given a uniform sample in [0, 1).</summary>
    /// <param name="held">The held consensus, or null before the first one (then poll soon).</param>
    /// <param name="now">The clock.</param>
    /// <param name="random">A uniform sample in [0, 1).</param>
    public static TimeSpan NextRefresh(ConsensusInfo? held, DateTimeOffset now, double random)
    {
        random = Math.Clamp(random, 0, 1);
        if (held is null)
        {
            return MinPoll;
        }

        var epoch = held.FreshUntil - held.ValidAfter;
        var target = held.FreshUntil - (epoch / 10 * random);
        if (target > now)
        {
            return target - now;
        }

        var poll = epoch / 8 * (0.5 + random);
        return poll < MinPoll ? MinPoll : poll > MaxPoll ? MaxPoll : poll;
    }
}
