using Mixnet.Directory.Server.Domain;

namespace Mixnet.Directory.Tests.Unit.Support;

/// <summary>What a refused request must leave untouched: the count, the version and the published node set.</summary>
internal sealed record RegistrySnapshot(int Count, TopologyState State)
{
    public static RegistrySnapshot Of(NodeRegistry registry) => new(registry.Count, registry.State);

    public void AssertUnchanged(NodeRegistry registry)
    {
        Assert.Multiple(() =>
        {
            Assert.That(registry.Count, Is.EqualTo(Count), "registry count changed");
            Assert.That(registry.State.Version, Is.EqualTo(State.Version), "topology version changed");
            Assert.That(registry.State, Is.SameAs(State), "topology state changed");
        });
    }
}
