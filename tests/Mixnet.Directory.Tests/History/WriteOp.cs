using Google.Protobuf;
using Mixnet.Directory.V1;

namespace Mixnet.Directory.Tests.History;

/// <summary>
/// One write as a client saw it, with client-side times. <see cref="Lease"/> names the
/// registration (by its op id) whose lease a heartbeat or deregister used; a register's own
/// id for a register, since each accepted registration starts a new lease.
/// </summary>
public sealed record WriteOp(
    int Id,
    string Client,
    WriteKind Kind,
    ByteString Node,
    TimeSpan Invoked,
    TimeSpan? Completed,
    WriteOutcome Outcome,
    NodeDescriptor? Descriptor = null,
    ulong? Version = null,
    int? Lease = null)
{
    /// <summary>Register, deregister and ban change membership; heartbeats and unbans do not.</summary>
    public bool ChangesMembership => Kind is WriteKind.Register or WriteKind.Deregister or WriteKind.Ban;

    public override string ToString() =>
        $"#{Id} {Client} {Kind}({HistoryFormat.Node(Node)}) [{HistoryFormat.Time(Invoked)}..{HistoryFormat.Time(Completed)}] {Outcome}"
        + (Version is { } v ? $" v{v}" : string.Empty)
        + (Descriptor is { } d ? $" {HistoryFormat.Descriptor(d)}" : string.Empty)
        + (Lease is { } l && l != Id ? $" lease #{l}" : string.Empty);
}
