namespace Mixnet.Directory.Server.Authorities;

/// <summary>
/// Epoch arithmetic. Epoch <c>e</c> starts at <c>e × length</c> after the Unix epoch; its
/// consensus is voted at the start, votes close at ¼ (then missing votes are fetched, the document
/// computed and signed), signatures close at ½. The document is fresh until the next epoch starts
/// and valid one epoch longer, so clients keep a consensus while the next one is being made.
/// </summary>
internal readonly record struct EpochClock(TimeSpan Length)
{
    public ulong EpochAt(DateTimeOffset now) => (ulong)(now.ToUnixTimeMilliseconds() / (long)Length.TotalMilliseconds);

    public DateTimeOffset StartOf(ulong epoch) => DateTimeOffset.UnixEpoch + (Length * epoch);

    public DateTimeOffset VoteDeadline(ulong epoch) => StartOf(epoch) + (Length / 4);

    public DateTimeOffset SignatureDeadline(ulong epoch) => StartOf(epoch) + (Length / 2);

    public DateTimeOffset FreshUntil(ulong epoch) => StartOf(epoch + 1);

    public DateTimeOffset ValidUntil(ulong epoch) => StartOf(epoch + 2);
}
