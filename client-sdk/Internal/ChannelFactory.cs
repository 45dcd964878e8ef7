using System.Net.Security;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Grpc.Net.Client;
using Microsoft.Extensions.Logging;

namespace Mixnet.Directory.Client.Internal;

/// <summary>Channels for long-lived use: keep-alive pings notice a dead connection under an idle watch.</summary>
internal static class ChannelFactory
{
    public static GrpcChannel Create(
        Uri address,
        ILoggerFactory loggerFactory,
        RemoteCertificateValidationCallback? validateServerCertificate = null,
        Action<GrpcChannelOptions>? configure = null)
    {
        var options = new GrpcChannelOptions
        {
            LoggerFactory = loggerFactory,
            DisposeHttpClient = true,

            // The channel's own reconnect backoff (1 s doubling to 120 s by default) fails calls at
            // once while it waits, which overrode the agent's 5 s cap: after a 30 s outage agents
            // came back 17 s after the directory did (bench soak, chaos). Capped at the default
            // heartbeat interval, the agent's own backoff decides.
            MaxReconnectBackoff = TimeSpan.FromSeconds(5),
            HttpHandler = new SocketsHttpHandler
            {
                EnableMultipleHttp2Connections = true,
                PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan,
                KeepAlivePingDelay = TimeSpan.FromSeconds(30),
                KeepAlivePingTimeout = TimeSpan.FromSeconds(10),
                KeepAlivePingPolicy = HttpKeepAlivePingPolicy.WithActiveRequests,
                ConnectTimeout = TimeSpan.FromSeconds(10),

                // A 100,000-node topology is about 14 MB: a large stream window lets it arrive
                // without the server stalling on a WINDOW_UPDATE every 64 KB.
                InitialHttp2StreamWindowSize = 4 * 1024 * 1024,
                SslOptions = new SslClientAuthenticationOptions { RemoteCertificateValidationCallback = validateServerCertificate },
            },
        };
        configure?.Invoke(options);
        return GrpcChannel.ForAddress(address, options);
    }

    /// <summary>The invoker with the caller's interceptors; the first in the list sees a call first.</summary>
    public static CallInvoker Intercept(CallInvoker invoker, IList<Interceptor> interceptors)
    {
        for (var i = interceptors.Count - 1; i >= 0; i--)
        {
            invoker = invoker.Intercept(interceptors[i]);
        }

        return invoker;
    }
}
