namespace Mixnet.Directory.Tests.Authorities;

/// <summary>The system clock plus a fixed offset: an authority whose clock is a little fast or slow.</summary>
internal sealed class OffsetTimeProvider(TimeSpan offset) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => TimeProvider.System.GetUtcNow() + offset;
}
