using Mixnet.Directory.Server.Registry;

namespace Mixnet.Directory.Server.Metrics;

/// <summary>One node's packet counts in one window.</summary>
internal readonly record struct NodeTraffic(NodeId Id, ulong Sent, ulong Received);
