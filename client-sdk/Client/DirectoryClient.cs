using Grpc.Core;
using Grpc.Net.Client;
using Grpc.Net.Client.Configuration;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Mixnet.Directory.Client.Internal;
using Mixnet.Directory.Signing;
using Mixnet.Directory.V1;

namespace Mixnet.Directory.Client;

/// <summary>
/// The directory as clients, tools and dashboards see it: verified topology (cached by version,
/// refreshed conditionally), a watch that yields the full view after every change, node lookup,
/// metrics subscription and route selection. Owns its channel unless given a <see cref="CallInvoker"/>.
/// With <see cref="DirectoryClientOptions.Authorities"/>, the topology is the consensus a
/// threshold of pinned authorities signed, kept fresh in the background.
/// </summary>
public sealed partial class DirectoryClient : IAsyncDisposable
{
    private readonly DirectoryClientOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly Func<double> _random;
    private readonly GrpcChannel? _channel;
    private readonly MemoryCache? _ownedCache;
    private readonly IMemoryCache _cache;
    private readonly string _addressText;
    private readonly TopologyService.TopologyServiceClient _topology;
    private readonly RegistryService.RegistryServiceClient _registry;
    private readonly MetricsService.MetricsServiceClient _metrics;
    private readonly SemaphoreSlim _keyGate = new(1, 1);
    private volatile byte[]? _directoryKey;
    private string? _cacheKey;

    /// <summary>Creates a client for the directory at <paramref name="address"/>.</summary>
    /// <param name="address">The directory's gRPC address; overrides <see cref="DirectoryClientOptions.Address"/>.</param>
    /// <param name="options">Further options; defaults when null.</param>
    /// <param name="loggerFactory">Logging; none when null.</param>
    /// <param name="timeProvider">The clock for reconnection backoff and timeouts; the system clock when null.</param>
    public DirectoryClient(Uri address, DirectoryClientOptions? options = null, ILoggerFactory? loggerFactory = null, TimeProvider? timeProvider = null)
        : this(WithAddress(address, options), loggerFactory, timeProvider)
    {
    }

    /// <summary>Creates a client for the directory at <see cref="DirectoryClientOptions.Address"/>.</summary>
    /// <param name="options">The options; <see cref="DirectoryClientOptions.Address"/> is required.</param>
    /// <param name="loggerFactory">Logging; none when null.</param>
    /// <param name="timeProvider">The clock for reconnection backoff and timeouts; the system clock when null.</param>
    public DirectoryClient(DirectoryClientOptions options, ILoggerFactory? loggerFactory = null, TimeProvider? timeProvider = null)
        : this(options, null, loggerFactory, timeProvider)
    {
    }

    /// <summary>Creates a client over a call invoker the caller owns (an existing channel, interceptors, tests).</summary>
    /// <param name="invoker">The call invoker, for example <c>channel.CreateCallInvoker()</c>.</param>
    /// <param name="options">Options; the channel settings in them are not used, the interceptors are.</param>
    /// <param name="loggerFactory">Logging; none when null.</param>
    /// <param name="timeProvider">The clock for reconnection backoff and timeouts; the system clock when null.</param>
    public DirectoryClient(CallInvoker invoker, DirectoryClientOptions? options = null, ILoggerFactory? loggerFactory = null, TimeProvider? timeProvider = null)
        : this(options ?? new DirectoryClientOptions(), invoker ?? throw new ArgumentNullException(nameof(invoker)), loggerFactory, timeProvider)
    {
    }

    private DirectoryClient(DirectoryClientOptions options, CallInvoker? invoker, ILoggerFactory? loggerFactory, TimeProvider? timeProvider)
        : this(options, invoker, null, loggerFactory, timeProvider, null)
    {
    }

    /// <summary>The constructor all others use; tests give the authorities' invokers and the jitter source.</summary>
    internal DirectoryClient(
        DirectoryClientOptions options,
        CallInvoker? invoker,
        Func<Uri, CallInvoker>? authorityInvokers,
        ILoggerFactory? loggerFactory,
        TimeProvider? timeProvider,
        Func<double>? random)
    {
        ArgumentNullException.ThrowIfNull(options);
        loggerFactory ??= NullLoggerFactory.Instance;
        _options = options;
        _logger = loggerFactory.CreateLogger<DirectoryClient>();
        _time = timeProvider ?? TimeProvider.System;
        _random = random ?? Random.Shared.NextDouble;
        if (DirectoryClientOptionsRules.Validate(options, requireAddress: invoker is null) is { } error)
        {
            throw new ArgumentException(error, nameof(options));
        }

        if (options.PinnedDirectoryKey is { } pinned)
        {
            _directoryKey = [.. pinned];
        }

        if (invoker is null)
        {
            // With authorities only, the first one answers the calls that are not the topology.
            var address = options.Address ?? options.Authorities[0].Address!;
            _channel = CreateChannel(address, loggerFactory);
            invoker = _channel.CreateCallInvoker();
            _addressText = address.ToString();
        }
        else
        {
            _addressText = "invoker:" + invoker.GetHashCode().ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        invoker = ChannelFactory.Intercept(invoker, options.Interceptors);
        if (options.TopologyCache is { } shared)
        {
            _cache = shared;
        }
        else
        {
            _ownedCache = new MemoryCache(new MemoryCacheOptions { SizeLimit = 4 });
            _cache = _ownedCache;
        }

        _topology = new TopologyService.TopologyServiceClient(invoker);
        _registry = new RegistryService.RegistryServiceClient(invoker);
        _metrics = new MetricsService.MetricsServiceClient(invoker);
        if (options.Authorities.Count > 0)
        {
            _consensus = CreateConsensusEngine(authorityInvokers, loggerFactory);
        }
    }

    /// <summary>Whether the topology is the authorities' consensus (<see cref="DirectoryClientOptions.Authorities"/> is set).</summary>
    public bool UsesConsensus => _consensus is not null;

    /// <summary>Asks the directory about itself: its key, TTL, heartbeat interval and version.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    public async Task<DirectoryInfo> GetDirectoryInfoAsync(CancellationToken cancellationToken = default)
    {
        var response = await UnaryAsync(o => _topology.GetDirectoryInfoAsync(new GetDirectoryInfoRequest(), o), cancellationToken).ConfigureAwait(false);
        var info = ProtoMapping.ToDirectoryInfo(response);
        if (_directoryKey is { } pinned && !pinned.AsSpan().SequenceEqual(info.DirectoryKey.Span))
        {
            DirectoryClientLog.KeyMismatch(_logger, _addressText, info.Fingerprint, KeyFingerprint.Of(pinned));
        }

        return info;
    }

    /// <summary>The directory key topologies are verified against: the pinned one, or the one fetched (once) and pinned now.</summary>
    /// <param name="cancellationToken">Cancels the fetch.</param>
    public async Task<ReadOnlyMemory<byte>> GetDirectoryKeyAsync(CancellationToken cancellationToken = default)
    {
        if (_directoryKey is { } key)
        {
            return key;
        }

        await _keyGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_directoryKey is null)
            {
                var info = await GetDirectoryInfoAsync(cancellationToken).ConfigureAwait(false);
                if (info.DirectoryKey.Length != DirectorySignatures.PublicKeySize)
                {
                    throw new TopologyVerificationException($"The directory presented a key of {info.DirectoryKey.Length} bytes; an Ed25519 key is {DirectorySignatures.PublicKeySize}.");
                }

                _directoryKey = info.DirectoryKey.ToArray();
                DirectoryClientLog.KeyPinned(_logger, info.Fingerprint, _addressText);
            }

            return _directoryKey;
        }
        finally
        {
            _keyGate.Release();
        }
    }

    /// <summary>Looks a node up by its identity key.</summary>
    /// <param name="identityKey">The node's 32-byte identity key.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The node, or null when the directory does not know it (never registered, or expired).</returns>
    public async Task<NodeDetails?> GetNodeAsync(ReadOnlyMemory<byte> identityKey, CancellationToken cancellationToken = default)
    {
        if (identityKey.Length != DirectorySignatures.PublicKeySize)
        {
            throw new ArgumentException($"An identity key is {DirectorySignatures.PublicKeySize} bytes, got {identityKey.Length}.", nameof(identityKey));
        }

        var request = new GetNodeRequest { IdentityKey = Google.Protobuf.ByteString.CopyFrom(identityKey.Span) };
        try
        {
            var response = await UnaryAsync(o => _registry.GetNodeAsync(request, o), cancellationToken).ConfigureAwait(false);
            return ProtoMapping.ToNodeDetails(response);
        }
        catch (RpcException ex) when (ex.StatusCode == StatusCode.NotFound)
        {
            return null;
        }
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await StopConsensusRefreshAsync().ConfigureAwait(false);
        _ownedCache?.Dispose();
        _channel?.Dispose();
        foreach (var channel in _authorityChannels)
        {
            channel.Dispose();
        }

        _keyGate.Dispose();
    }

    private GrpcChannel CreateChannel(Uri address, ILoggerFactory loggerFactory) =>
        ChannelFactory.Create(address, loggerFactory, _options.ServerCertificateValidation, o =>
        {
            o.MaxReceiveMessageSize = _options.MaxReceiveMessageSize;
            o.ServiceConfig = RetryConfig(_options.MaxRetryAttempts);
            _options.ConfigureChannel?.Invoke(o);
        });

    private static DirectoryClientOptions WithAddress(Uri address, DirectoryClientOptions? options)
    {
        ArgumentNullException.ThrowIfNull(address);
        options ??= new DirectoryClientOptions();
        options.Address = address;
        return options;
    }

    /// <summary>Retries UNAVAILABLE on the unary calls only; streams own their reconnection.</summary>
    private static ServiceConfig RetryConfig(int maxAttempts)
    {
        var method = new MethodConfig
        {
            RetryPolicy = new RetryPolicy
            {
                MaxAttempts = Math.Max(2, maxAttempts),
                InitialBackoff = TimeSpan.FromMilliseconds(250),
                MaxBackoff = TimeSpan.FromSeconds(5),
                BackoffMultiplier = 2,
                // RESOURCE_EXHAUSTED carries grpc-retry-pushback-ms, which the retry policy waits out.
                RetryableStatusCodes = { StatusCode.Unavailable, StatusCode.ResourceExhausted },
            },
        };
        method.Names.Add(new MethodName { Service = TopologyService.Descriptor.FullName, Method = "GetDirectoryInfo" });
        method.Names.Add(new MethodName { Service = TopologyService.Descriptor.FullName, Method = "GetTopology" });
        method.Names.Add(new MethodName { Service = RegistryService.Descriptor.FullName, Method = "GetNode" });
        return new ServiceConfig { MethodConfigs = { method } };
    }

    private Task<T> UnaryAsync<T>(Func<CallOptions, AsyncUnaryCall<T>> start, CancellationToken cancellationToken) =>
        UnaryCalls.CallAsync(start, _options.CallTimeout, _time, cancellationToken);
}
