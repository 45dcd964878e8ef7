using Google.Protobuf;
using Microsoft.Extensions.Options;
using Mixnet.Directory.Server.Errors;
using Mixnet.Directory.Server.Hosting;
using Mixnet.Directory.Server.Keys;
using Mixnet.Directory.Server.Quality;
using Mixnet.Directory.Server.Topology;
using Mixnet.Directory.Signing;
using Mixnet.Directory.V1;

namespace Mixnet.Directory.Server.Authorities;

/// <summary>
/// This authority's part in the consensus: the votes it holds (at most one per configured
/// authority for the current and the next epoch, so memory is bounded by N × the vote size), the
/// document it computed and the signatures over it, and the newest consensus it may serve, which
/// always carries at least the threshold of signatures. One lock; every method is short.
/// </summary>
internal sealed partial class ConsensusAuthority
{
    private readonly Lock _gate = new();
    private readonly AuthoritySet _set;
    private readonly DirectorySigningKey _key;
    private readonly Membership _membership;
    private readonly TimeProvider _time;
    private readonly QualityTracker? _quality;
    private readonly int _maxNodes;
    private readonly Dictionary<ulong, SignedVote?[]> _votes = [];
    private readonly HashSet<ulong> _closed = [];
    private ulong _documentEpoch;
    private byte[]? _document;
    private AuthoritySignature?[] _signatures;
    private SignedConsensus? _published;
    private ConsensusDocument? _publishedDocument;

    public ConsensusAuthority(AuthoritySet set, DirectorySigningKey key, Membership membership, TimeProvider time, IOptions<AuthorityOptions> options, IOptions<DirectoryOptions> directory, QualityTracker? quality = null)
    {
        _quality = quality;
        _set = set;
        _key = key;
        _membership = membership;
        _time = time;
        _maxNodes = directory.Value.MaxNodes;
        Clock = new EpochClock(options.Value.EpochLength);
        ClockSkew = options.Value.ConsensusClockSkew;
        _signatures = new AuthoritySignature?[set.Count];
    }

    public EpochClock Clock { get; }

    /// <summary>Raised (under no lock) after a consensus becomes the one served: own or adopted, or one with more signatures.</summary>
    public event Action<SignedConsensus>? Published;

    /// <summary>Exchange calls worked on at once: votes can be megabytes, so only a few are buffered.</summary>
    public SemaphoreSlim Exchanges { get; } = new(4, 4);

    public TimeSpan ClockSkew { get; }

    public AuthoritySet Set => _set;

    /// <summary>The newest consensus with at least the threshold of signatures, while still valid.</summary>
    public SignedConsensus? Current
    {
        get
        {
            lock (_gate)
            {
                return _publishedDocument is { } doc && _time.GetUtcNow() <= doc.ValidUntil.ToDateTimeOffset() ? _published : null;
            }
        }
    }

    public ulong CurrentEpoch
    {
        get
        {
            lock (_gate)
            {
                return _publishedDocument?.Epoch ?? 0;
            }
        }
    }

    /// <summary>
    /// Closes the epoch's votes, combines them and signs the document. Null when fewer than the
    /// threshold of votes is held. Older epochs' votes are dropped.
    /// </summary>
    public byte[]? CloseAndCompute(ulong epoch)
    {
        SignedVote[] held;
        lock (_gate)
        {
            _closed.Add(epoch);
            _closed.RemoveWhere(e => e + 1 < epoch);
            foreach (var old in _votes.Keys.Where(e => e < epoch).ToArray())
            {
                _votes.Remove(old);
            }

            held = _votes.TryGetValue(epoch, out var slots) ? slots.OfType<SignedVote>().ToArray() : [];
        }

        var votes = held.Select(v => Vote.Parser.ParseFrom(v.Vote)).ToArray();
        var document = ConsensusCombiner.Combine(epoch, Clock, _set.SortedKeys, votes, _key.PublicKey);
        if (document is null)
        {
            return null;
        }

        var bytes = document.ToByteArray();
        var own = new AuthoritySignature
        {
            AuthorityKey = ByteString.CopyFrom(_key.PublicKey),
            Signature = UnsafeByteOperations.UnsafeWrap(_key.Sign(SignatureDomain.Consensus, bytes)),
        };
        lock (_gate)
        {
            _documentEpoch = epoch;
            _document = bytes;
            _signatures = new AuthoritySignature?[_set.Count];
            _signatures[IndexOf(_key.PublicKey)] = own;
        }

        return bytes;
    }

    /// <summary>The document this authority computed for the epoch and the signatures it holds over it.</summary>
    public (byte[]? Document, AuthoritySignature[] Signatures) SignaturesFor(ulong epoch)
    {
        lock (_gate)
        {
            return _document is not null && _documentEpoch == epoch
                ? (_document, _signatures.OfType<AuthoritySignature>().ToArray())
                : (null, []);
        }
    }

    /// <summary>
    /// Holds a configured authority's signature if it verifies over this authority's own document
    /// for the epoch (a signature over other bytes is refused), and publishes once the threshold is met.
    /// </summary>
    public bool AcceptSignature(ulong epoch, AuthoritySignature? signature)
    {
        if (signature is null || !_set.IsConfigured(signature.AuthorityKey.Span))
        {
            throw new DirectoryException(DirectoryErrorKind.Unauthenticated, "signature.authority_key", "signature.authority_key is not a configured authority");
        }

        byte[] document;
        lock (_gate)
        {
            if (_document is null || _documentEpoch != epoch)
            {
                throw new DirectoryException(DirectoryErrorKind.FailedPrecondition, "epoch", $"this authority holds no document for epoch {epoch} (yet)");
            }

            document = _document;
        }

        if (!DirectorySignatures.Verify(signature.AuthorityKey.Span, SignatureDomain.Consensus, document, signature.Signature.Span))
        {
            throw new DirectoryException(DirectoryErrorKind.Unauthenticated, "signature.signature",
                "signature does not verify over this authority's document for the epoch (the documents differ)");
        }

        bool added;
        bool published;
        lock (_gate)
        {
            if (_documentEpoch != epoch)
            {
                throw new DirectoryException(DirectoryErrorKind.FailedPrecondition, "epoch", $"epoch {epoch} has passed");
            }

            var index = IndexOf(signature.AuthorityKey.Span);
            added = _signatures[index] is null;
            _signatures[index] = signature;
            published = added && PublishLocked();
        }

        if (published)
        {
            Published?.Invoke(_published!);
        }

        return added;
    }

    /// <summary>
    /// Serves a consensus made elsewhere (after a restart, or when this authority's own document
    /// fell short) if it passes the same checks a client makes and is newer than the one held.
    /// </summary>
    public bool TryAdopt(SignedConsensus candidate, out string error)
    {
        if (!ConsensusVerifier.TryVerify(candidate, _set.SortedKeys, _set.Threshold, _time.GetUtcNow(), ClockSkew, out var document, out error))
        {
            return false;
        }

        lock (_gate)
        {
            if (_publishedDocument is { } held && held.Epoch >= document!.Epoch)
            {
                error = $"epoch {document.Epoch} is not newer than the consensus held";
                return false;
            }

            _published = candidate;
            _publishedDocument = document;
        }

        Published?.Invoke(candidate);
        return true;
    }

    /// <summary>Publishes this authority's document once it carries the threshold of signatures.</summary>
    public bool TryPublish()
    {
        SignedConsensus? published;
        lock (_gate)
        {
            published = PublishLocked() ? _published : null;
        }

        if (published is not null)
        {
            Published?.Invoke(published);
        }

        return published is not null;
    }

    private bool PublishLocked()
    {
        if (_document is null)
        {
            return false;
        }

        var signatures = _signatures.OfType<AuthoritySignature>().ToArray();
        if (signatures.Length < _set.Threshold)
        {
            return false;
        }

        if (_publishedDocument is { } held && held.Epoch > _documentEpoch)
        {
            return false;
        }

        var signed = new SignedConsensus { Document = UnsafeByteOperations.UnsafeWrap(_document) };
        signed.Signatures.AddRange(signatures);
        _published = signed;
        _publishedDocument = ConsensusDocument.Parser.ParseFrom(_document);
        return true;
    }

    private int IndexOf(ReadOnlySpan<byte> key)
    {
        var keys = _set.SortedKeys;
        for (var i = 0; i < keys.Length; i++)
        {
            if (keys[i].AsSpan().SequenceEqual(key))
            {
                return i;
            }
        }

        throw new InvalidOperationException("not a configured authority key");
    }
}
