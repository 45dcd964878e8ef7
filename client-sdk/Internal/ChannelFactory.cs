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
