namespace Mixnet.Directory.Tests.History;

/// <summary>
/// The directory's timing as the checker needs it. <see cref="ExpiryGrace"/> allows for a
/// loaded machine scheduling the sweeper late; <see cref="ClockSlack"/> for the server's and the
/// client's clocks being read at slightly different instants.
/// </summary>
public sealed record HistoryRules(TimeSpan Ttl, TimeSpan SweepInterval, TimeSpan ExpiryGrace, TimeSpan ClockSlack);
