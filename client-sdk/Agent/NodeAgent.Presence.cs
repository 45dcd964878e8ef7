using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Mixnet.Directory.Client.Internal;
using Mixnet.Directory.V1;

namespace Mixnet.Directory.Client;

/// <summary>The presence loop: register, heartbeat, and what to do when either fails.</summary>
public sealed partial class NodeAgent
{
    private async Task RunPresenceAsync(CancellationToken cancellationToken)
    {
        var failures = 0;
        var refusedLogged = false;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var lease = _lease;
            TimeSpan wait;
            try
            {
                if (lease is null)
                {
                    lease = await RegisterAsync(cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    await HeartbeatAsync(lease, cancellationToken).ConfigureAwait(false);
                }

                if (failures > 0)
                {
                    NodeAgentLog.Recovered(_logger, failures);
                    failures = 0;
                    refusedLogged = false;
                }

                SetState(NodeAgentState.Registered);
                wait = Backoff.Jitter(lease.Info.HeartbeatInterval, HeartbeatJitter, _random());
            }
            catch (RpcException ex) when (!cancellationToken.IsCancellationRequested)
            {
                var reaction = lease is null ? StatusPolicy.ForRegister(ex.StatusCode) : StatusPolicy.ForHeartbeat(ex.StatusCode);
                switch (reaction)
                {
                    case AgentReaction.Reregister:
                        _lease = null;
                        NodeAgentLog.LeaseLost(_logger, _identity.IdentityHex, ex.StatusCode, ex.Status.Detail);
                        SetState(NodeAgentState.Reconnecting);
                        wait = TimeSpan.Zero;
                        break;
                    case AgentReaction.Fatal:
                        Fail(ex);
                        return;
                    case AgentReaction.Refused:
                        wait = NextBackoff(failures++, lease);
                        if (!refusedLogged)
                        {
                            NodeAgentLog.RegistrationRefused(_logger, ex.StatusCode, ex.Status.Detail, wait);
                            refusedLogged = true;
                        }
                        else
                        {
                            NodeAgentLog.StillUnreachable(_logger, ex.StatusCode, failures, wait);
                        }

                        SetState(NodeAgentState.Reconnecting);
                        break;
                    default:
                        // A directory that is shedding load says when to come back; never sooner.
                        wait = NextBackoff(failures++, lease);
                        var hint = RetryAfterHint.From(ex, _options.MaxBackoff);
                        if (hint > wait)
                        {
                            wait = hint;
                        }

                        if (failures == 1)
                        {
                            NodeAgentLog.Unreachable(_logger, ex.StatusCode, wait, ex);
                        }
                        else
                        {
                            NodeAgentLog.StillUnreachable(_logger, ex.StatusCode, failures, wait);
                        }

                        SetState(NodeAgentState.Reconnecting);
                        break;
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // Never let a surprise end the loop: a node that stops heartbeating silently disappears.
                NodeAgentLog.LoopFailed(_logger, ex);
                wait = NextBackoff(failures++, lease);
            }

            var delay = Task.Delay(wait, _time, cancellationToken);
            PresenceDelayScheduled?.Invoke(wait);
            await delay.ConfigureAwait(false);
        }
    }

    private async Task<Lease> RegisterAsync(CancellationToken cancellationToken)
    {
        var (descriptor, signature) = _identity.SignDescriptor(BuildDescriptor(NextSignedAt()));
        var request = new RegisterNodeRequest { Descriptor_ = descriptor, Signature = signature };
        var response = await CallAsync(o => _registry.RegisterNodeAsync(request, o), _options.CallTimeout, cancellationToken).ConfigureAwait(false);
        var now = _time.GetUtcNow();

        // A new lease's first report covers one report interval, not the time since start.
        DeferNextReport(now + ReportInterval);
        var interval = Positive(response.HeartbeatInterval, TimeSpan.FromSeconds(5));
        var info = new LeaseInfo(now, now, Positive(response.Ttl, interval * 4), interval);
        var lease = new Lease(response.LeaseToken.ToByteArray(), info);
        _lease = lease;
        Interlocked.Exchange(ref _topologyVersion, (long)response.TopologyVersion);
        Interlocked.Increment(ref _registrations);
        NodeAgentLog.Registered(_logger, _identity.IdentityHex, _options.DirectoryAddress, _options.Role, _options.EffectiveLayer, interval, response.TopologyVersion);
        return lease;
    }

    private async Task HeartbeatAsync(Lease lease, CancellationToken cancellationToken)
    {
        var request = new HeartbeatRequest
        {
            IdentityKey = Google.Protobuf.UnsafeByteOperations.UnsafeWrap(_identity.IdentityKey),
            LeaseToken = lease.Token,
        };
        var response = await CallAsync(o => _presence.HeartbeatAsync(request, o), _options.CallTimeout, cancellationToken).ConfigureAwait(false);
        lease.Info = lease.Info with { LastRenewedAt = _time.GetUtcNow(), Ttl = Positive(response.Ttl, lease.Info.Ttl) };
        Interlocked.Exchange(ref _topologyVersion, (long)response.TopologyVersion);
    }

    private async Task DeregisterAsync(Lease lease, CancellationToken cancellationToken)
    {
        var request = new DeregisterNodeRequest
        {
            IdentityKey = Google.Protobuf.UnsafeByteOperations.UnsafeWrap(_identity.IdentityKey),
            LeaseToken = lease.Token,
        };
        try
        {
            await CallAsync(o => _registry.DeregisterNodeAsync(request, o), _options.DeregisterTimeout, cancellationToken).ConfigureAwait(false);
            NodeAgentLog.Deregistered(_logger, _identity.IdentityHex);
        }
        catch (Exception ex) when (ex is RpcException or OperationCanceledException)
        {
            NodeAgentLog.DeregisterFailed(_logger, ex);
        }
    }

    /// <summary>A fresh signed_at for every registration, strictly newer than the last, so the directory never sees a replay.</summary>
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

    /// <summary>While a lease may still be alive, retry at least once per heartbeat interval so it is not lost to a long backoff.</summary>
    private TimeSpan NextBackoff(int failures, Lease? lease)
    {
        var max = lease is null ? _options.MaxBackoff : TimeSpan.FromTicks(Math.Max(_options.MinBackoff.Ticks, Math.Min(_options.MaxBackoff.Ticks, lease.Info.HeartbeatInterval.Ticks)));
        return Backoff.Delay(failures, _options.MinBackoff, max, _random());
    }

    private void Fail(RpcException ex)
    {
        NodeAgentLog.Fatal(_logger, _identity.IdentityHex, ex.StatusCode, ex.Status.Detail);
        var fault = new InvalidOperationException($"The directory refused node {_identity.IdentityHex}: {ex.StatusCode}: {ex.Status.Detail}", ex);
        _fault = fault;
        _lease = null;
        SetState(NodeAgentState.Failed);
        Volatile.Read(ref _registered).TrySetException(fault);
        _completion.TrySetException(fault);
    }

    private static TimeSpan Positive(Duration? duration, TimeSpan fallback)
    {
        var value = duration?.ToTimeSpan() ?? TimeSpan.Zero;
        return value > TimeSpan.Zero ? value : fallback;
    }
}
