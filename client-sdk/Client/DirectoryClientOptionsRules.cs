using Mixnet.Directory.Signing;

namespace Mixnet.Directory.Client;

/// <summary>What makes <see cref="DirectoryClientOptions"/> usable, shared by the client's constructor and <c>ValidateOnStart</c>.</summary>
internal static class DirectoryClientOptionsRules
{
    /// <summary>The first problem with the options, or null when a client can be built from them.</summary>
    public static string? Validate(DirectoryClientOptions options, bool requireAddress)
    {
        if (requireAddress && options.Address is null && options.Authorities.Count == 0)
        {
            return "DirectoryClientOptions.Address (or Authorities) is required.";
        }

        if (options.PinnedDirectoryKey is { } pinned && pinned.Length != DirectorySignatures.PublicKeySize)
        {
            return $"DirectoryClientOptions.PinnedDirectoryKey must be {DirectorySignatures.PublicKeySize} bytes, got {pinned.Length}.";
        }

        if (options.CallTimeout <= TimeSpan.Zero || options.ReconnectMinBackoff <= TimeSpan.Zero || options.ReconnectMaxBackoff < options.ReconnectMinBackoff)
        {
            return "DirectoryClientOptions: CallTimeout and ReconnectMinBackoff must be positive, ReconnectMaxBackoff at least ReconnectMinBackoff.";
        }

        if (ValidateAuthorities(options) is { } error)
        {
            return error;
        }

        return options.MaxReceiveMessageSize <= 0 ? "DirectoryClientOptions.MaxReceiveMessageSize must be positive." : null;
    }

    /// <summary>The threshold the options ask for: <see cref="DirectoryClientOptions.AuthorityThreshold"/> or ⌊N/2⌋+1.</summary>
    public static int Threshold(DirectoryClientOptions options) =>
        options.AuthorityThreshold ?? ConsensusVerifier.Threshold(Math.Max(1, options.Authorities.Count));

    private static string? ValidateAuthorities(DirectoryClientOptions options)
    {
        var authorities = options.Authorities;
        if (authorities.Count == 0)
        {
            return options.AuthorityThreshold is null ? null : "DirectoryClientOptions.AuthorityThreshold needs Authorities.";
        }

        var keys = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < authorities.Count; i++)
        {
            var authority = authorities[i];
            if (authority?.Address is null)
            {
                return $"DirectoryClientOptions.Authorities[{i}].Address is required.";
            }

            if (authority.KeyBytes is not { } key)
            {
                return $"DirectoryClientOptions.Authorities[{i}].Key must be an Ed25519 public key ({DirectorySignatures.PublicKeySize} bytes as 64 hex digits or base64).";
            }

            if (!keys.Add(KeyFingerprint.Hex(key)))
            {
                return $"DirectoryClientOptions.Authorities[{i}].Key is configured twice.";
            }
        }

        var threshold = Threshold(options);
        var majority = ConsensusVerifier.Threshold(authorities.Count);
        if (threshold < majority || threshold > authorities.Count)
        {
            return $"DirectoryClientOptions.AuthorityThreshold for {authorities.Count} authorities must be between {majority} (a strict majority) and {authorities.Count}, got {threshold}.";
        }

        return options.ConsensusClockSkew < TimeSpan.Zero ? "DirectoryClientOptions.ConsensusClockSkew must not be negative." : null;
    }
}
