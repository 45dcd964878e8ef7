namespace Mixnet.Directory.Server.Authorities;

/// <summary>One configured authority: <c>Directory:Authorities:&lt;n&gt;:Name/Key/Address</c>.</summary>
public sealed class AuthorityEntry
{
    /// <summary>A name for logs.</summary>
    public string Name { get; set; } = string.Empty;

    /// <summary>Its Ed25519 public key, 64 hex digits or base64.</summary>
    public string Key { get; set; } = string.Empty;

    /// <summary>Its gRPC address, e.g. <c>http://10.0.0.2:5000</c>.</summary>
    public string Address { get; set; } = string.Empty;
}
