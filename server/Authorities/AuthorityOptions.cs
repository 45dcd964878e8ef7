namespace Mixnet.Directory.Server.Authorities;

/// <summary>
/// The authority settings of the <c>Directory</c> section. Without <c>Directory:Authorities</c>
/// the directory runs alone exactly as before: no AuthorityService, no epoch loop, no consensus.
/// </summary>
public sealed class AuthorityOptions
{
    /// <summary>Every directory authority of the network, this one included (found by its signing key).</summary>
    public List<AuthorityEntry> Authorities { get; set; } = [];

    /// <summary>Length of one consensus epoch; the phase deadlines are fractions of it.</summary>
    public TimeSpan EpochLength { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Clock skew tolerated between authorities, and between an authority and a client.</summary>
    public TimeSpan ConsensusClockSkew { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Largest vote or signature exchange message accepted from a peer.</summary>
    public int MaxVoteBytes { get; set; } = 32 * 1024 * 1024;

    /// <summary>True when authorities are configured.</summary>
    public bool Enabled => Authorities.Count > 0;
}
