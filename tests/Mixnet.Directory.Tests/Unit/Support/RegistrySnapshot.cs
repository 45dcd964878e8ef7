using Mixnet.Directory.Server.Admin;
using Mixnet.Directory.Server.Errors;
using Mixnet.Directory.Server.Hosting;
using Mixnet.Directory.Server.Keys;
using Mixnet.Directory.Server.Limits;
using Mixnet.Directory.Server.Metrics;
using Mixnet.Directory.Server.Presence;
using Mixnet.Directory.Server.Registry;
using Mixnet.Directory.Server.Telemetry;
using Mixnet.Directory.Server.Topology;

using Mixnet.Directory.Tests.Infrastructure;

namespace Mixnet.Directory.Tests.Unit.Support;

/// <summary>What a refused request must leave untouched: the count, the version and the published node set.</summary>
internal sealed record RegistrySnapshot(int Count, TopologyState State)
{
    public static RegistrySnapshot Of(RegistryHarness h) => new(h.Leases.Count, h.Membership.State);

    public void AssertUnchanged(RegistryHarness h)
    {
        Assert.Multiple(() =>
        {
            Assert.That(h.Leases.Count, Is.EqualTo(Count), "registry count changed");
            Assert.That(h.Membership.State.Version, Is.EqualTo(State.Version), "topology version changed");
            Assert.That(h.Membership.State, Is.SameAs(State), "topology state changed");
        });
    }
}
