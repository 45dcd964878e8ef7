using Mixnet.Directory.Client;

namespace Mixnet.Directory.Simnet;

/// <summary>One simulated node: its keys, its agent, and the address other nodes send to.</summary>
public sealed class SimNode(NodeIdentity identity, NodeAgent agent, NodeRole role, int layer, string endpoint, int port = 0) : IAsyncDisposable
{
    /// <summary>The mix port, which seeds a liar's choice of victims.</summary>
    public int Port { get; } = port;

    /// <summary>Drops a share of the packets it should forward (and reports what it really did).</summary>
    public bool IsDropper { get; init; }

    /// <summary>Lies about the links to some honest peers.</summary>
    public bool IsLiar { get; init; }

    /// <summary>Whether this liar lies about <paramref name="peer"/>: about one honest peer in ten, fixed per pair.</summary>
    public bool LiesAbout(SimNode peer) =>
        IsLiar && !peer.IsLiar && !peer.IsDropper && (uint)HashCode.Combine(Port, peer.Port) % 10 == 0;

    private int _touched;
    private volatile bool _leaving;

    public NodeIdentity Identity { get; } = identity;

    public NodeAgent Agent { get; } = agent;

    public NodeRole Role { get; } = role;

    public int Layer { get; } = layer;

    /// <summary><c>host:mix_port</c>: the next-hop key other nodes count packets under.</summary>
    public string Endpoint { get; } = endpoint;

    public ReadOnlyMemory<byte> IdentityKey => Identity.IdentityKey;

    /// <summary>Whether the node has counted a packet: only those have counts to flush at the end.</summary>
    public bool Touched => Volatile.Read(ref _touched) != 0;

    /// <summary>Set when churn picked the node to leave: no new packets go through it.</summary>
    public bool Leaving
    {
        get => _leaving;
        set => _leaving = value;
    }

    public string Label => $"{Mixnet.Directory.Signing.KeyFingerprint.Abbreviate(IdentityKey.Span)} ({(Role == NodeRole.Gateway ? "gateway" : "layer " + Layer)}, {Endpoint})";

    public void RecordSent(SimNode next)
    {
        Agent.RecordSent(next.Endpoint);
        if (LiesAbout(next))
        {
            Agent.RecordSent(next.Endpoint); // over-reports: claims twice what it sent
        }

        Volatile.Write(ref _touched, 1);
    }

    public void RecordReceived()
    {
        Agent.RecordReceived();
        Volatile.Write(ref _touched, 1);
    }

    /// <summary>Counts a packet from <paramref name="previous"/>, as a liar would when it lies about that peer: as if from nowhere.</summary>
    public void RecordReceived(SimNode previous)
    {
        if (LiesAbout(previous))
        {
            Agent.RecordReceived();
        }
        else
        {
            Agent.RecordReceived(previous.Endpoint);
        }

        Volatile.Write(ref _touched, 1);
    }

    public async ValueTask DisposeAsync()
    {
        await Agent.DisposeAsync();
        Identity.Dispose();
    }
}
