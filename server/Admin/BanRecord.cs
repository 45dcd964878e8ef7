using Mixnet.Directory.Server.Registry;

namespace Mixnet.Directory.Server.Admin;

/// <summary>One banned identity, as kept on disk.</summary>
internal sealed record BanRecord(NodeId Id, string Reason, DateTimeOffset BannedAt, string BannedBy);
