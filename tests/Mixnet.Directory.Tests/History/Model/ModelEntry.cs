using Mixnet.Directory.V1;

namespace Mixnet.Directory.Tests.History.Model;

/// <summary>A node the model says the registry holds: what it publishes, its newest signed_at and when it was last seen.</summary>
internal sealed record ModelEntry(NodeDescriptor Published, DateTimeOffset SignedAt, DateTimeOffset LastSeen);
