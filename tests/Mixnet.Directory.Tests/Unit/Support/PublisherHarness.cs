using Google.Protobuf;
using Microsoft.Extensions.Logging.Abstractions;
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
using Mixnet.Directory.Signing;
using Mixnet.Directory.V1;

using Mixnet.Directory.Tests.Infrastructure;

namespace Mixnet.Directory.Tests.Unit.Support;

/// <summary>A registry, a directory key in a private temp folder, and a publisher over them.</summary>
internal sealed class PublisherHarness : IDisposable
{
    public PublisherHarness(Action<DirectoryOptions>? configure = null)
    {
        KeyFolder = TempFolder.Create();
        Registry = new RegistryHarness(o =>
        {
            o.DataPath = KeyFolder.Path;
            o.SigningKeyPath = System.IO.Path.Combine(KeyFolder.Path, "directory.key");
            o.TopologyBatchWindow = TimeSpan.Zero;
            configure?.Invoke(o);
        });
        var options = Microsoft.Extensions.Options.Options.Create(Registry.Options);
        Key = new DirectorySigningKey(options, NullLogger<DirectorySigningKey>.Instance);
        Publisher = new TopologyPublisher(Registry.Membership, Key, options, Registry.Time, NullLogger<TopologyPublisher>.Instance);
    }

    public TempFolder KeyFolder { get; }

    public RegistryHarness Registry { get; }

    public DirectorySigningKey Key { get; }

    public TopologyPublisher Publisher { get; }

    public TopologyDelta VerifiedDelta(WatchTopologyResponse message)
    {
        Assert.That(message.UpdateCase, Is.EqualTo(WatchTopologyResponse.UpdateOneofCase.Delta));
        return VerifiedDelta(message.Delta);
    }

    public TopologyDelta VerifiedDelta(SignedTopologyDelta signed)
    {
        Assert.That(DirectorySignatures.Verify(Key.PublicKey, SignatureDomain.TopologyDelta, signed.Delta.Span, signed.Signature.Span), Is.True, "delta signature");
        return TopologyDelta.Parser.ParseFrom(signed.Delta);
    }

    public TopologySnapshot VerifiedSnapshot(WatchTopologyResponse message)
    {
        Assert.That(message.UpdateCase, Is.EqualTo(WatchTopologyResponse.UpdateOneofCase.Snapshot));
        return VerifiedSnapshot(message.Snapshot);
    }

    public TopologySnapshot VerifiedSnapshot(SignedTopology signed)
    {
        Assert.That(DirectorySignatures.Verify(Key.PublicKey, SignatureDomain.Topology, signed.Topology.Span, signed.Signature.Span), Is.True, "snapshot signature");
        return TopologySnapshot.Parser.ParseFrom(signed.Topology);
    }

    public static ByteString Id(TestNode node) => node.IdentityKey;

    public void Dispose()
    {
        Publisher.Dispose();
        Key.Dispose();
        Registry.Dispose();
        KeyFolder.Dispose();
    }
}
