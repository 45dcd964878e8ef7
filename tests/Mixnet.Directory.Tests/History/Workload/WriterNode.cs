using Google.Protobuf;
using Mixnet.Directory.Tests.Infrastructure;

namespace Mixnet.Directory.Tests.History.Workload;

/// <summary>One node as its writer believes it to be: the lease it holds (by the register op that gave it) and whether it is keeping quiet.</summary>
internal sealed class WriterNode(TestNode node) : IDisposable
{
    public TestNode Node { get; } = node;

    public ByteString Identity => Node.IdentityKey;

    /// <summary>The register op whose lease this node holds, or null when it believes it is not registered.</summary>
    public int? Lease { get; set; }

    /// <summary>Until then the node sends nothing, so its lease runs out.</summary>
    public TimeSpan SilentUntil { get; set; }

    public int Revision { get; set; }

    public DateTimeOffset LastSignedAt { get; set; }

    public void Dispose() => Node.Dispose();
}
