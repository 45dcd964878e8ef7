using Mixnet.Directory.Client;

namespace Mixnet.Directory.Simnet;

/// <summary>One simulated node: its keys, its agent, and the address other nodes send to.</summary>
public sealed class SimNode(NodeIdentity identity, NodeAgent agent, NodeRole role, int layer, string endpoint) : IAsyncDisposable
{
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
        Volatile.Write(ref _touched, 1);
    }

    public void RecordReceived()
    {
        Agent.RecordReceived();
        Volatile.Write(ref _touched, 1);
    }

    public async ValueTask DisposeAsync()
    {
        await Agent.DisposeAsync();
        Identity.Dispose();
    }
}
