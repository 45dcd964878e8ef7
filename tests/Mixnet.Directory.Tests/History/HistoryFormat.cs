using Google.Protobuf;
using Mixnet.Directory.V1;

namespace Mixnet.Directory.Tests.History;

/// <summary>Short, readable forms for violation messages.</summary>
public static class HistoryFormat
{
    public static string Node(ByteString identity) => Convert.ToHexString(identity.Span[..Math.Min(4, identity.Length)]).ToLowerInvariant();

    public static string Time(TimeSpan? at) => at is { } t ? $"{t.TotalMilliseconds:F1}ms" : "?";

    public static string Descriptor(NodeDescriptor? descriptor) =>
        descriptor is null ? "absent" : $"{descriptor.Host}:{descriptor.MixPort} v{descriptor.Version} '{descriptor.Location}' signed {descriptor.SignedAt?.ToDateTimeOffset():HH:mm:ss.fff}";
}
