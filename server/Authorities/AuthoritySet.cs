using Microsoft.Extensions.Options;
using Mixnet.Directory.Server.Keys;
using Mixnet.Directory.Signing;

namespace Mixnet.Directory.Server.Authorities;

/// <summary>
/// The configured authorities, parsed once at start: the sorted key set every document names,
/// the threshold ⌊N/2⌋+1, this authority (found by its own signing key) and its peers.
/// </summary>
internal sealed class AuthoritySet
{
    public AuthoritySet(IOptions<AuthorityOptions> options, DirectorySigningKey key)
    {
        var entries = options.Value.Authorities;
        if (options.Value.EpochLength < TimeSpan.FromSeconds(1))
        {
            throw new OptionsValidationException("Directory:EpochLength", typeof(AuthorityOptions), ["Directory:EpochLength must be at least 1 second"]);
        }

        var all = new List<AuthorityPeer>(entries.Count);
        for (var i = 0; i < entries.Count; i++)
        {
            var entry = entries[i];
            if (!KeyFingerprint.TryParse(entry.Key, out var raw))
            {
                throw new OptionsValidationException("Directory:Authorities", typeof(AuthorityOptions),
                    [$"Directory:Authorities:{i}:Key must be a 32-byte Ed25519 public key in hex or base64"]);
            }

            if (!Uri.TryCreate(entry.Address, UriKind.Absolute, out var address) || (address.Scheme != Uri.UriSchemeHttp && address.Scheme != Uri.UriSchemeHttps))
            {
                throw new OptionsValidationException("Directory:Authorities", typeof(AuthorityOptions),
                    [$"Directory:Authorities:{i}:Address must be an absolute http(s) address"]);
            }

            all.Add(new AuthorityPeer(string.IsNullOrWhiteSpace(entry.Name) ? $"authority-{i}" : entry.Name, raw, address));
        }

        try
        {
            SortedKeys = ConsensusVerifier.CheckConfiguration(all.Select(a => a.Key), ConsensusVerifier.Threshold(Math.Max(1, all.Count)));
        }
        catch (ArgumentException ex)
        {
            throw new OptionsValidationException("Directory:Authorities", typeof(AuthorityOptions), [ex.Message]);
        }

        Self = all.FirstOrDefault(a => a.Key.AsSpan().SequenceEqual(key.PublicKey))
            ?? throw new OptionsValidationException("Directory:Authorities", typeof(AuthorityOptions),
                [$"this directory's signing key {KeyFingerprint.Of(key.PublicKey)} ({key.Path}) is not one of Directory:Authorities; add it or point Directory:SigningKeyPath at the authority's key"]);
        Peers = all.Where(a => !ReferenceEquals(a, Self)).ToArray();
        All = all;
        Threshold = ConsensusVerifier.Threshold(all.Count);
    }

    public IReadOnlyList<AuthorityPeer> All { get; }

    public AuthorityPeer Self { get; }

    public IReadOnlyList<AuthorityPeer> Peers { get; }

    /// <summary>The configured keys sorted by bytes, as the document lists them.</summary>
    public byte[][] SortedKeys { get; }

    /// <summary>Signatures (and votes) a consensus needs: ⌊N/2⌋+1.</summary>
    public int Threshold { get; }

    public int Count => All.Count;

    public bool IsConfigured(ReadOnlySpan<byte> key)
    {
        foreach (var k in SortedKeys)
        {
            if (k.AsSpan().SequenceEqual(key))
            {
                return true;
            }
        }

        return false;
    }

    public string NameOf(ReadOnlySpan<byte> key)
    {
        foreach (var a in All)
        {
            if (a.Key.AsSpan().SequenceEqual(key))
            {
                return a.Name;
            }
        }

        return KeyFingerprint.Abbreviate(key);
    }
}
