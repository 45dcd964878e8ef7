using System.Text.Json.Serialization;

namespace Mixnet.Directory.Server.Admin;

/// <summary>One ban on disk; the identity key as hex.</summary>
internal sealed record BanEntry(
    [property: JsonPropertyName("identity_key")] string IdentityKey,
    [property: JsonPropertyName("reason")] string? Reason,
    [property: JsonPropertyName("banned_at")] DateTimeOffset BannedAt,
    [property: JsonPropertyName("banned_by")] string? BannedBy);