namespace Mixnet.Directory.Validation;

/// <summary>The bounds of DESIGN.md §2 on a node descriptor and on requests.</summary>
public static class DescriptorLimits
{
    /// <summary>Longest host name (the DNS limit).</summary>
    public const int MaxHostLength = 253;

    /// <summary>Longest version string.</summary>
    public const int MaxVersionLength = 64;

    /// <summary>Longest location string.</summary>
    public const int MaxLocationLength = 64;

    /// <summary>
    /// Largest serialized descriptor accepted. A valid one is under 500 bytes; this leaves room
    /// for fields added later without letting a caller make the server hold megabytes.
    /// </summary>
    public const int MaxDescriptorBytes = 1024;

    /// <summary>Highest mixnode layer; layers run 1..3.</summary>
    public const uint MaxLayer = 3;
}
