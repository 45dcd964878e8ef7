using Grpc.Core;
using Grpc.Net.Client;

namespace Mixnet.Directory.Cli.Commands;

/// <summary>Where the directory is, which key it must present, and how long each call may take.</summary>
public sealed record DirectoryTarget(string Address, byte[]? PinnedKey, TimeSpan Timeout)
{
    /// <summary>
    /// A plain channel for the generated clients the SDK does not wrap (admin, health, registry,
    /// presence); connecting is bounded by <see cref="Timeout"/>. The caller disposes it.
    /// </summary>
    public GrpcChannel OpenChannel() => GrpcChannel.ForAddress(new Uri(Address), new GrpcChannelOptions
    {
        DisposeHttpClient = true,
        MaxReceiveMessageSize = 64 * 1024 * 1024, // a long ban list
        HttpHandler = new SocketsHttpHandler { ConnectTimeout = Timeout },
    });

    /// <summary>One call's options: a deadline of <see cref="Timeout"/> from now, optional headers, and <paramref name="cancellationToken"/>.</summary>
    public CallOptions CallOptions(CancellationToken cancellationToken, Metadata? headers = null) =>
        new(headers, DateTime.UtcNow + Timeout, cancellationToken);
}
