using Google.Protobuf;
using Grpc.Core;

namespace Mixnet.Directory.Client;

/// <summary>The agent's state as the best of its directories', and the one signed descriptor they all get.</summary>
public sealed partial class NodeAgent
{
    private readonly object _descriptorGate = new();
    private (ByteString Descriptor, ByteString Signature, DateTimeOffset SignedAt)? _announced;
    private DateTimeOffset _lastSignedAt;

    /// <summary>
    /// The signed descriptor to register with <paramref name="link"/>: the one the other directories
    /// were given, so the authorities' votes carry byte-identical entries for this node, unless this
    /// directory has seen it already (then a fresh one, newer, which the next directories get too).
    /// </summary>
    private (ByteString Descriptor, ByteString Signature, DateTimeOffset SignedAt) DescriptorFor(DirectoryLink link)
    {
        lock (_descriptorGate)
        {
            if (_announced is { } announced && announced.SignedAt > link.LastSignedAt)
            {
                return announced;
            }

            var signedAt = NextSignedAt();
            var (descriptor, signature) = _identity.SignDescriptor(NodeAgentOptionsRules.Descriptor(_options, _identity.IdentityKey, _identity.SphinxKey, signedAt));
            _announced = (descriptor, signature, signedAt);
            return _announced.Value;
        }
    }

    /// <summary>A fresh signed_at for every new descriptor, strictly newer than the last, so no directory sees a replay.</summary>
    private DateTimeOffset NextSignedAt()
    {
        var now = _time.GetUtcNow();
        if (now <= _lastSignedAt)
        {
            now = _lastSignedAt.AddMilliseconds(1);
        }

        _lastSignedAt = now;
        return now;
    }

    /// <summary>Sets one directory's state, then the agent's as the best of all of them.</summary>
    private void SetLinkState(DirectoryLink link, NodeAgentState state)
    {
        var previous = link.State;
        if (previous == state)
        {
            return;
        }

        link.State = state;
        if (state == NodeAgentState.Registered)
        {
            link.Registered.TrySetResult();
        }
        else if (previous == NodeAgentState.Registered)
        {
            link.Registered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        DirectoryStateChanged?.Invoke(this, link.Status);
        if (state != NodeAgentState.Stopped)
        {
            SetAgentState(null);
        }
    }

    private NodeAgentState Best()
    {
        if (_links.Any(l => l.State == NodeAgentState.Registered))
        {
            return NodeAgentState.Registered;
        }

        if (_links.All(l => l.State == NodeAgentState.Failed))
        {
            return NodeAgentState.Failed;
        }

        return _links.Any(l => l.State == NodeAgentState.Reconnecting) ? NodeAgentState.Reconnecting : NodeAgentState.Starting;
    }

    /// <summary>Sets the agent's state: <paramref name="next"/>, or when null the best of the directories' (computed under the lock, so racing links cannot leave a stale one).</summary>
    private void SetAgentState(NodeAgentState? next)
    {
        NodeAgentState state;
        lock (_links)
        {
            state = next ?? Best();
            var previous = _state;
            if (previous == state)
            {
                return;
            }

            _state = state;
            if (state == NodeAgentState.Registered)
            {
                Volatile.Read(ref _registered).TrySetResult();
            }
            else if (previous == NodeAgentState.Registered)
            {
                Volatile.Write(ref _registered, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
            }
        }

        StateChanged?.Invoke(this, state);
    }

    /// <summary>One directory refused the node for good; the agent fails when every directory has.</summary>
    private void Fail(DirectoryLink link, RpcException ex)
    {
        NodeAgentLog.Fatal(_logger, _identity.IdentityHex, link.Name, ex.StatusCode, ex.Status.Detail);
        link.Lease = null;
        link.Registered.TrySetException(new InvalidOperationException($"{link.Name} refused node {_identity.IdentityHex}: {ex.StatusCode}: {ex.Status.Detail}", ex));
        if (_links.All(l => l == link || l.State == NodeAgentState.Failed))
        {
            var fault = new InvalidOperationException($"The directory refused node {_identity.IdentityHex}: {ex.StatusCode}: {ex.Status.Detail}", ex);
            _fault = fault;
            SetLinkState(link, NodeAgentState.Failed);
            Volatile.Read(ref _registered).TrySetException(fault);
            _completion.TrySetException(fault);
        }
        else
        {
            SetLinkState(link, NodeAgentState.Failed);
        }
    }
}
