namespace Mixnet.Directory.Client;

/// <summary>Packet counting: lock-free, from any thread; the metrics loops report the counts.</summary>
public sealed partial class NodeAgent
{
    /// <summary>Counts one packet sent to a next hop (<c>host:port</c>). Lock-free; safe from any thread.</summary>
    /// <param name="nextHop">The next hop's <c>host:port</c>, 1 to 262 characters.</param>
    /// <exception cref="ArgumentException">The key is empty or longer than the directory accepts; counted, it would make every later report fail.</exception>
    public void RecordSent(string nextHop)
    {
        ArgumentNullException.ThrowIfNull(nextHop);
        if (nextHop.Length is 0 or > Mixnet.Directory.Validation.MetricsReportLimits.MaxNextHopLength)
        {
            throw new ArgumentException($"a next hop is host:port of 1..{Mixnet.Directory.Validation.MetricsReportLimits.MaxNextHopLength} characters", nameof(nextHop));
        }

        _counters.RecordSent(nextHop);
    }

    /// <summary>Counts one packet received whose previous hop is unknown (for example from a client). Lock-free; safe from any thread.</summary>
    public void RecordReceived() => _counters.RecordReceived();

    /// <summary>
    /// Counts one packet received from a previous hop. The directory compares these counts with
    /// what that hop says it sent here to judge the link, so name the hop exactly as the directory
    /// lists it: its <c>host:mix_port</c> (<see cref="NodeInfo.MixEndpoint"/>). Lock-free; safe from any thread.
    /// </summary>
    /// <param name="fromHop">The previous hop's <c>host:mix_port</c>, 1 to 262 characters.</param>
    /// <exception cref="ArgumentException">The key is empty or longer than the directory accepts.</exception>
    public void RecordReceived(string fromHop)
    {
        ArgumentNullException.ThrowIfNull(fromHop);
        if (fromHop.Length is 0 or > Mixnet.Directory.Validation.MetricsReportLimits.MaxNextHopLength)
        {
            throw new ArgumentException($"a previous hop is host:port of 1..{Mixnet.Directory.Validation.MetricsReportLimits.MaxNextHopLength} characters", nameof(fromHop));
        }

        _counters.RecordReceived(fromHop);
    }
}
