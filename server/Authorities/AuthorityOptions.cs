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

    /// <summary>
    /// Largest vote or signature exchange message accepted from a caller at an authority's
    /// address (see <see cref="AuthorityNetworks"/>).
    /// </summary>
    public int MaxVoteBytes { get; set; } = 32 * 1024 * 1024;

    /// <summary>
    /// Largest AuthorityService request accepted from any other address, checked on the gRPC
    /// length prefix before the message is read. Fetch calls and signatures are a few hundred
    /// bytes; only a vote is large, and a peer whose vote is refused here still gets it counted:
    /// the others fetch it from the peer at the vote deadline.
    /// </summary>
    public int MaxOtherCallerBytes { get; set; } = 4 * 1024;

    /// <summary>
    /// Addresses or CIDR networks, besides the resolved addresses of <see cref="Authorities"/>,
    /// whose calls may carry votes up to <see cref="MaxVoteBytes"/>: the public address an
    /// authority behind NAT sends from. Behind a reverse proxy the caller is the address
    /// <c>Directory:TrustedProxies</c> names in X-Forwarded-For, or else the proxy itself.
    /// </summary>
    public List<string> AuthorityNetworks { get; set; } = [];

    /// <summary>True when authorities are configured.</summary>
    public bool Enabled => Authorities.Count > 0;
}
