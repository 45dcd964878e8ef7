using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Mixnet.Directory.Server.Hosting;

namespace Mixnet.Directory.Server.Admin;

/// <summary>
/// Checks <c>authorization: Bearer &lt;token&gt;</c> against the configured admin tokens. Tokens are
/// compared as SHA-256 digests in constant time, against every token, so neither timing nor
/// length tells a caller how close a guess was.
/// </summary>
internal sealed class AdminAuthenticator
{
    private readonly (string Name, byte[] Digest)[] _tokens;

    public AdminAuthenticator(IOptions<DirectoryOptions> options)
    {
        _tokens = [.. options.Value.AdminTokens.Select(t => (t.Key, SHA256.HashData(Encoding.UTF8.GetBytes(t.Value))))];
    }

    public bool Enabled => _tokens.Length > 0;

    /// <summary>The name of the token presented in <paramref name="authorization"/>, or null.</summary>
    public string? Authenticate(string? authorization)
    {
        const string scheme = "Bearer ";
        if (authorization is null || !authorization.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var presented = SHA256.HashData(Encoding.UTF8.GetBytes(authorization[scheme.Length..].Trim()));
        string? match = null;
        foreach (var (name, digest) in _tokens)
        {
            if (CryptographicOperations.FixedTimeEquals(presented, digest))
            {
                match = name;
            }
        }

        return match;
    }
}
