using Grpc.Core;
using Grpc.Net.Client;
using Mixnet.Directory.V1;

namespace Mixnet.Directory.Cli.Commands;

/// <summary>
/// AdminService at the directory's address, with the admin token attached to every call. Owns its
/// channel. Not a record, and the token is no property: nothing here prints it.
/// </summary>
public sealed class AdminSession : IDisposable
{
    private readonly DirectoryTarget _target;
    private readonly GrpcChannel _channel;
    private readonly Metadata _headers;

    private AdminSession(DirectoryTarget target, string token)
    {
        _target = target;
        _channel = target.OpenChannel();
        _headers = new Metadata { { "authorization", "Bearer " + token } };
        Client = new AdminService.AdminServiceClient(_channel);
    }

    /// <summary>The generated AdminService client; pass <see cref="CallOptions"/> to every call.</summary>
    public AdminService.AdminServiceClient Client { get; }

    /// <summary>Opens a channel to the target (http:// or https://, the system's trust store) for calls that carry <paramref name="token"/>.</summary>
    public static AdminSession Open(DirectoryTarget target, string token)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(token);
        return new AdminSession(target, token);
    }

    /// <summary>The options of one call: the bearer token, the --timeout deadline, and <paramref name="cancellationToken"/>.</summary>
    public CallOptions CallOptions(CancellationToken cancellationToken) => _target.CallOptions(cancellationToken, _headers);

    public void Dispose() => _channel.Dispose();
}
