using Mixnet.Directory.Server.Registry;

namespace Mixnet.Directory.Server.Quality;

/// <summary>A listed node as scoring sees it: its identity, the endpoint other nodes name it by, and whether it forwards (mixnode) or terminates traffic (gateway).</summary>
internal readonly record struct QualityNode(NodeId Id, EndpointKey Endpoint, bool IsMixnode);
