using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Mixnet.Directory.Client.Internal;
using Mixnet.Directory.V1;

namespace Mixnet.Directory.Client;

/// <summary>The presence loop, one per directory: register, heartbeat, and what to do when either fails.</summary>
public sealed partial class NodeAgent
{
    private async Task RunPresenceAsync(DirectoryLink link, CancellationToken cancellationToken)
    {
        var failures = 0;
        var refusedLogged = false;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var lease = link.Lease;
            TimeSpan wait;
            try
            {
                if (lease is null)
                {
                    lease = await RegisterAsync(link, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    await HeartbeatAsync(link, lease, cancellationToken).ConfigureAwait(false);
                }

                if (failures > 0)
                {
                    NodeAgentLog.Recovered(_logger, link.Name, failures);
                    failures = 0;
                    refusedLogged = false;
                }

                SetLinkState(link, NodeAgentState.Registered);
                wait = Backoff.Jitter(lease.Info.HeartbeatInterval, HeartbeatJitter, _random());
            }
            catch (RpcException ex) when (!cancellationToken.IsCancellationRequested)
            {
                var reaction = lease is null ? StatusPolicy.ForRegister(ex.StatusCode) : StatusPolicy.ForHeartbeat(ex.StatusCode);
                switch (reaction)
                {
                    case AgentReaction.Reregister:
                        link.Lease = null;
                        NodeAgentLog.LeaseLost(_logger, link.Name, _identity.IdentityHex, ex.StatusCode, ex.Status.Detail);
                        SetLinkState(link, NodeAgentState.Reconnecting);
                        wait = TimeSpan.Zero;
                        break;
                    case AgentReaction.Fatal:
                        Fail(link, ex);
                        return;
                    case AgentReaction.Refused:
                        wait = NextBackoff(failures++, lease);
                        if (!refusedLogged)
                        {
                            NodeAgentLog.RegistrationRefused(_logger, link.Name, ex.StatusCode, ex.Status.Detail, wait);
                            refusedLogged = true;
                        }
                        else
                        {
                            NodeAgentLog.StillUnreachable(_logger, link.Name, ex.StatusCode, failures, wait);
                        }

                        SetLinkState(link, NodeAgentState.Reconnecting);
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
                            NodeAgentLog.Unreachable(_logger, link.Name, ex.StatusCode, wait, ex);
                        }
                        else
                        {
                            NodeAgentLog.StillUnreachable(_logger, link.Name, ex.StatusCode, failures, wait);
                        }

                        SetLinkState(link, NodeAgentState.Reconnecting);
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

    private async Task<Lease> RegisterAsync(DirectoryLink link, CancellationToken cancellationToken)
    {
        var (descriptor, signature, signedAt) = DescriptorFor(link);
        var request = new RegisterNodeRequest { Descriptor_ = descriptor, Signature = signature };
        RegisterNodeResponse response;
        try
        {
            response = await CallAsync(o => link.Registry.RegisterNodeAsync(request, o), _options.CallTimeout, cancellationToken).ConfigureAwait(false);
        }
        catch (RpcException ex) when (!StatusPolicy.IsTransient(ex.StatusCode))
        {
            // Refused (perhaps as a replay of a registration whose answer was lost): the next try signs anew.
            link.LastSignedAt = signedAt;
            throw;
        }

        link.LastSignedAt = signedAt;
        var now = _time.GetUtcNow();
        if (_links.Length > 1)
        {
            // Counts held for this directory while it was away would land in one window: drop them.
            link.Outbox.Take();
        }

        // A new lease's first report covers one report interval, not the time since start.
        link.DeferNextReport(now + link.ReportInterval);
        var interval = Positive(response.HeartbeatInterval, TimeSpan.FromSeconds(5));
        var info = new LeaseInfo(now, now, Positive(response.Ttl, interval * 4), interval);
        var lease = new Lease(response.LeaseToken.ToByteArray(), info);
        link.Lease = lease;
        link.TopologyVersion = response.TopologyVersion;
        link.CountRegistration();
        NodeAgentLog.Registered(_logger, _identity.IdentityHex, link.Name, _options.Role, _options.EffectiveLayer, interval, response.TopologyVersion);
        return lease;
    }

    private async Task HeartbeatAsync(DirectoryLink link, Lease lease, CancellationToken cancellationToken)
    {
        var request = new HeartbeatRequest
        {
            IdentityKey = Google.Protobuf.UnsafeByteOperations.UnsafeWrap(_identity.IdentityKey),
            LeaseToken = lease.Token,
        };
        var response = await CallAsync(o => link.Presence.HeartbeatAsync(request, o), _options.CallTimeout, cancellationToken).ConfigureAwait(false);
        lease.Info = lease.Info with { LastRenewedAt = _time.GetUtcNow(), Ttl = Positive(response.Ttl, lease.Info.Ttl) };
        link.TopologyVersion = response.TopologyVersion;
    }

    private async Task DeregisterAsync(DirectoryLink link, Lease lease, CancellationToken cancellationToken)
    {
        var request = new DeregisterNodeRequest
        {
            IdentityKey = Google.Protobuf.UnsafeByteOperations.UnsafeWrap(_identity.IdentityKey),
            LeaseToken = lease.Token,
        };
        try
        {
            await CallAsync(o => link.Registry.DeregisterNodeAsync(request, o), _options.DeregisterTimeout, cancellationToken).ConfigureAwait(false);
            NodeAgentLog.Deregistered(_logger, _identity.IdentityHex, link.Name);
        }
        catch (Exception ex) when (ex is RpcException or OperationCanceledException)
        {
            NodeAgentLog.DeregisterFailed(_logger, link.Name, ex);
        }
    }

    /// <summary>While a lease may still be alive, retry at least once per heartbeat interval so it is not lost to a long backoff.</summary>
    private TimeSpan NextBackoff(int failures, Lease? lease)
    {
        var max = lease is null ? _options.MaxBackoff : TimeSpan.FromTicks(Math.Max(_options.MinBackoff.Ticks, Math.Min(_options.MaxBackoff.Ticks, lease.Info.HeartbeatInterval.Ticks)));
        return Backoff.Delay(failures, _options.MinBackoff, max, _random());
    }

    private static TimeSpan Positive(Duration? duration, TimeSpan fallback)
    {
        var value = duration?.ToTimeSpan() ?? TimeSpan.Zero;
        return value > TimeSpan.Zero ? value : fallback;
    }
}
