using Grpc.Core;
using Mixnet.Directory.Cli.Infrastructure;

namespace Mixnet.Directory.Tests.Tools;

/// <summary>The one-line failure messages, for failures a test directory does not produce: a Web port that allows HTTP/2 only over TLS.</summary>
[TestFixture]
public sealed class CliErrorsTests
{
    private const string Address = "http://dir.example:5080";

    [Test]
    public void DescribeFailure_Http1ResponseToTheHttp2Preface_HintsAtTheGrpcPort()
    {
        var http = new HttpRequestException("An HTTP/2 connection could not be established because the server did not complete the HTTP/2 handshake.");
        var rpc = new RpcException(new Status(StatusCode.Unavailable, "Error starting gRPC call.", http));

        var message = CliErrors.DescribeFailure(Address, rpc);

        Assert.That(message, Does.StartWith($"cannot reach the directory at {Address}: "));
        Assert.That(message, Does.EndWith("(this looks like the directory's Web (HTTP/1.1) port; use the gRPC port (default 5000))"));
    }

    [Test]
    public void DescribeFailure_ConnectionRefused_HasNoHint()
    {
        var refused = new HttpRequestException("Connection refused (dir.example:5000)", new System.Net.Sockets.SocketException(111));
        var rpc = new RpcException(new Status(StatusCode.Unavailable, "Error starting gRPC call.", refused));

        var message = CliErrors.DescribeFailure(Address, rpc);

        Assert.That(message, Does.StartWith($"cannot reach the directory at {Address}: "));
        Assert.That(message, Does.Not.Contain("port;").And.Not.Contain("TLS"));
    }
}
