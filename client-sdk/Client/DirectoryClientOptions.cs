using Grpc.Core.Interceptors;
using Grpc.Net.Client;
using Microsoft.Extensions.Caching.Memory;

namespace Mixnet.Directory.Client;

/// <summary>Where the directory is, which key to trust, and limits for the client's channel.</summary>
public sealed class DirectoryClientOptions
{
    /// <summary>
    /// The directory's gRPC address, for example <c>http://directory.example:5000</c>. With
    /// <see cref="Authorities"/> it may stay null: node lookup, metrics and directory info then go
    /// to the first authority.
    /// </summary>
    public Uri? Address { get; set; }

    /// <summary>
    /// The directory authorities to trust, each with its pinned key. When set, the topology is the
    /// consensus at least <see cref="AuthorityThreshold"/> of them signed (fetched from any of them,
    /// refreshed before it goes stale), not one directory's signed topology. Empty: one directory at
    /// <see cref="Address"/>, as without authorities. Binds from <c>Authorities:&lt;n&gt;:Address</c>/<c>:Key</c>.
    /// </summary>
    public IList<DirectoryAuthority> Authorities { get; } = new List<DirectoryAuthority>();

    /// <summary>
    /// Distinct pinned authority signatures a consensus needs; null for ⌊N/2⌋+1. Never lower than a
    /// strict majority of <see cref="Authorities"/> (two disjoint sets of signers could both reach a
    /// lower one), never more than N.
    /// </summary>
    public int? AuthorityThreshold { get; set; }

    /// <summary>Clock skew tolerated around a consensus's validity window.</summary>
    public TimeSpan ConsensusClockSkew { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The directory's Ed25519 public key (32 bytes) that topologies must verify against. When
    /// null, the key is fetched once from <c>GetDirectoryInfo</c> and pinned for the client's life
    /// (trust on first use); set it to detect a directory that is not the one you expect. From
    /// configuration it binds from base64. Not used for the topology with <see cref="Authorities"/>.
    /// </summary>
#pragma warning disable CA1819 // A key is bytes; callers set it from a config value once.
    public byte[]? PinnedDirectoryKey { get; set; }
#pragma warning restore CA1819

    /// <summary>The largest response accepted; the default fits a 100,000-node topology with room to spare.</summary>
    public int MaxReceiveMessageSize { get; set; } = 64 * 1024 * 1024;

    /// <summary>Attempts (first call included) of a unary call that fails with UNAVAILABLE, through the channel's retry policy.</summary>
    public int MaxRetryAttempts { get; set; } = 5;

    /// <summary>How long one unary call may take.</summary>
    public TimeSpan CallTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The first wait before a dropped watch or metrics stream reconnects.</summary>
    public TimeSpan ReconnectMinBackoff { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>The longest wait between reconnection attempts of a stream.</summary>
    public TimeSpan ReconnectMaxBackoff { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// A cache for the last verified topology, shared between clients if you like (entries are
    /// keyed by address and directory key, with size 1). When null, each client has its own small cache.
    /// </summary>
    public IMemoryCache? TopologyCache { get; set; }

    /// <summary>
    /// Decides whether to trust the directory's TLS certificate on <c>https://</c> addresses, for a
    /// directory behind a private CA or a pinned self-signed certificate. Null uses the system's trust store.
    /// </summary>
    public System.Net.Security.RemoteCertificateValidationCallback? ServerCertificateValidation { get; set; }

    /// <summary>
    /// Changes the settings of the channel the client creates (HTTP handler, credentials, service
    /// config, and so on), after the SDK has set its own. Not used when the client is given a
    /// <see cref="Grpc.Core.CallInvoker"/>; not bound from configuration.
    /// </summary>
    public Action<GrpcChannelOptions>? ConfigureChannel { get; set; }

    /// <summary>Interceptors every call goes through; the first in the list sees a call first. Not bound from configuration.</summary>
    public IList<Interceptor> Interceptors { get; } = new List<Interceptor>();
}
