using Google.Protobuf;
using Mixnet.Directory.Server.Errors;
using Mixnet.Directory.Server.Registry;
using Mixnet.Directory.Tests.Infrastructure;
using Mixnet.Directory.Tests.Unit.Support;
using Mixnet.Directory.V1;

namespace Mixnet.Directory.Tests.History.Model;

/// <summary>
/// The registry on a fake clock, seen through plain values. The only file of the model test that
/// touches server types, so a move of the server's namespaces is one edit here.
/// </summary>
internal sealed class RegistryUnderTest : IDisposable
{
    public const string Accepted = "Accepted";
    public const string Removed = "Removed";

    private readonly RegistryHarness _h = new(o => o.RateLimits.Enabled = false);

    public TimeSpan Ttl => _h.Options.PresenceTtl;

    public TimeSpan HeartbeatInterval => _h.Options.HeartbeatInterval;

    public TimeSpan SweepInterval => _h.Options.ResolvedSweepInterval;

    public TimeSpan MaxClockSkew => _h.Options.MaxClockSkew;

    public DateTimeOffset Now => _h.Now;

    public ulong Version => _h.Membership.State.Version;

    /// <summary>Identities with a record, live or lapsed but not yet swept.</summary>
    public int Count => _h.Leases.Count;

    /// <summary>The published topology: each member's descriptor by identity key.</summary>
    public IReadOnlyDictionary<ByteString, NodeDescriptor> Published =>
        _h.Membership.State.Nodes.Values.Select(r => r.Descriptor).ToDictionary(d => d.IdentityKey);

    public TestNode NewNode() => _h.Mixnode();

    public void Advance(TimeSpan by) => _h.Time.Advance(by);

    /// <returns><see cref="Accepted"/> with the lease and version, or the refusal's kind.</returns>
    public (string Outcome, byte[]? Lease, ulong Version) Register(SignedDescriptor signed)
    {
        try
        {
            var result = _h.Registry.Register(signed.Descriptor, signed.Signature);
            return (Accepted, result.LeaseToken, result.TopologyVersion);
        }
        catch (DirectoryException ex)
        {
            return (ex.Kind.ToString(), null, 0);
        }
    }

    public string Heartbeat(byte[] identity, byte[] lease) => _h.Heartbeat(identity, lease).ToString();

    public string Deregister(byte[] identity, byte[] lease)
    {
        try
        {
            _h.Registry.Deregister(identity, lease);
            return Removed;
        }
        catch (DirectoryException ex)
        {
            return ex.Kind.ToString();
        }
    }

    public void Ban(byte[] identity) => _h.Registry.Ban(Id(identity), "model test", "model");

    public void Unban(byte[] identity) => _h.Bans.Remove(Id(identity));

    public int Sweep() => _h.Registry.ExpireDue();

    public void Dispose() => _h.Dispose();

    private static NodeId Id(byte[] identity)
    {
        NodeId.TryRead(identity, out var id);
        return id;
    }
}
