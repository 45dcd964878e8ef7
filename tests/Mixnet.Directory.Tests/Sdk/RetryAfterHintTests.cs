using Grpc.Core;
using Mixnet.Directory.Client.Internal;

namespace Mixnet.Directory.Tests.Sdk;

[TestFixture]
public sealed class RetryAfterHintTests
{
    [Test]
    public void From_PushbackMs_PreferredOverSeconds()
    {
        var ex = Refusal(StatusCode.ResourceExhausted, ("grpc-retry-pushback-ms", "1500"), ("retry-after", "9"));
        Assert.That(RetryAfterHint.From(ex, TimeSpan.FromMinutes(1)), Is.EqualTo(TimeSpan.FromMilliseconds(1500)));
    }

    [Test]
    public void From_RetryAfterSecondsOnly_Used()
    {
        var ex = Refusal(StatusCode.ResourceExhausted, ("retry-after", "3"));
        Assert.That(RetryAfterHint.From(ex, TimeSpan.FromMinutes(1)), Is.EqualTo(TimeSpan.FromSeconds(3)));
    }

    [Test]
    public void From_HugeHint_CappedSoAHostileServerCannotParkTheNode()
    {
        var ex = Refusal(StatusCode.ResourceExhausted, ("retry-after", "86400"));
        Assert.That(RetryAfterHint.From(ex, TimeSpan.FromSeconds(30)), Is.EqualTo(TimeSpan.FromSeconds(30)));
    }

    [TestCase(StatusCode.Unavailable)]
    [TestCase(StatusCode.NotFound)]
    public void From_OtherStatus_Ignored(StatusCode code)
    {
        var ex = Refusal(code, ("retry-after", "5"));
        Assert.That(RetryAfterHint.From(ex, TimeSpan.FromMinutes(1)), Is.EqualTo(TimeSpan.Zero));
    }

    [Test]
    public void From_Garbage_Zero()
    {
        var ex = Refusal(StatusCode.ResourceExhausted, ("retry-after", "soon"), ("grpc-retry-pushback-ms", "-4"));
        Assert.That(RetryAfterHint.From(ex, TimeSpan.FromMinutes(1)), Is.EqualTo(TimeSpan.Zero));
    }

    private static RpcException Refusal(StatusCode code, params (string Key, string Value)[] trailers)
    {
        var metadata = new Metadata();
        foreach (var (key, value) in trailers)
        {
            metadata.Add(key, value);
        }

        return new RpcException(new Status(code, "refused"), metadata);
    }
}
