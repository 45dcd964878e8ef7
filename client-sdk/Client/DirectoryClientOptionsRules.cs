using Mixnet.Directory.Signing;

namespace Mixnet.Directory.Client;

/// <summary>What makes <see cref="DirectoryClientOptions"/> usable, shared by the client's constructor and <c>ValidateOnStart</c>.</summary>
internal static class DirectoryClientOptionsRules
{
    /// <summary>The first problem with the options, or null when a client can be built from them.</summary>
    public static string? Validate(DirectoryClientOptions options, bool requireAddress)
    {
        if (requireAddress && options.Address is null)
        {
            return "DirectoryClientOptions.Address is required.";
        }

        if (options.PinnedDirectoryKey is { } pinned && pinned.Length != DirectorySignatures.PublicKeySize)
        {
            return $"DirectoryClientOptions.PinnedDirectoryKey must be {DirectorySignatures.PublicKeySize} bytes, got {pinned.Length}.";
        }

        if (options.CallTimeout <= TimeSpan.Zero || options.ReconnectMinBackoff <= TimeSpan.Zero || options.ReconnectMaxBackoff < options.ReconnectMinBackoff)
        {
            return "DirectoryClientOptions: CallTimeout and ReconnectMinBackoff must be positive, ReconnectMaxBackoff at least ReconnectMinBackoff.";
        }

        return options.MaxReceiveMessageSize <= 0 ? "DirectoryClientOptions.MaxReceiveMessageSize must be positive." : null;
    }
}
