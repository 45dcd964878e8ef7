using System.Net.Sockets;
using Grpc.Core;
using Spectre.Console.Cli;

namespace Mixnet.Directory.Cli.Infrastructure;

/// <summary>Turns failures into one readable line and an exit code; never a stack trace.</summary>
public static class CliErrors
{
    /// <summary>The HTTP/2 error code a server sends when it speaks only HTTP/1.1 (RFC 9113, section 7).</summary>
    private const long Http11RequiredErrorCode = 0xd;

    /// <summary>The handler for whatever a command or the parser throws.</summary>
    public static int Report(CliConsole console, Exception exception)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(exception);
        switch (exception)
        {
            case CommandAppException:
                console.WriteError(exception.Message.TrimEnd('.') + ". See 'mixdir --help'.");
                return ExitCodes.BadInput;
            case BadInputException:
                console.WriteError(exception.Message);
                return ExitCodes.BadInput;
            case OperationCanceledException:
                // SIGINT or SIGTERM before a one-shot command finished.
                console.WriteError("cancelled");
                return ExitCodes.Cancelled;
            case DirectoryUnreachableException:
                console.WriteError(exception.Message);
                return ExitCodes.Unreachable;
            case DirectoryKeyMismatchException:
                console.WriteError(exception.Message);
                return ExitCodes.KeyMismatch;
            default:
                console.WriteError($"unexpected error ({exception.GetType().Name}): {exception.Message}");
                return ExitCodes.BadInput;
        }
    }

    /// <summary>The one-line explanation of a failed call to the directory at <paramref name="address"/>.</summary>
    public static string DescribeFailure(string address, Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        if (exception is RpcException rpc && rpc.StatusCode is not (StatusCode.Unavailable or StatusCode.DeadlineExceeded or StatusCode.Cancelled)
            && FindInner<HttpRequestException>(rpc) is null)
        {
            return $"the directory at {address} failed: {rpc.StatusCode}: {rpc.Status.Detail}";
        }

        return $"cannot reach the directory at {address}: {Reason(exception)}{Hint(exception)}";
    }

    /// <summary>The usual mistakes behind a failed connection, spelled out: the Web port instead of gRPC's, TLS to a cleartext port.</summary>
    private static string Hint(Exception exception)
    {
        // An HTTP/1.1-only endpoint answers the HTTP/2 preface with HTTP_1_1_REQUIRED (Protocols=Http1, the
        // directory's default) or with an HTTP/1.1 error response (Http1AndHttp2 without TLS).
        if (Chain(exception).Any(e => e.Message.Contains("HTTP_1_1_REQUIRED", StringComparison.Ordinal)
            || e.Message.Contains("did not complete the HTTP/2 handshake", StringComparison.Ordinal)
            || e is HttpProtocolException { ErrorCode: Http11RequiredErrorCode }))
        {
            return " (this looks like the directory's Web (HTTP/1.1) port; use the gRPC port (default 5000))";
        }

        if (Chain(exception).Any(e => e is System.Security.Authentication.AuthenticationException
            || e.Message.Contains("corrupted frame was received", StringComparison.OrdinalIgnoreCase)))
        {
            return " (the server does not speak TLS on this port; use http://)";
        }

        return "";
    }

    private static string Reason(Exception exception)
    {
        if (FindInner<SocketException>(exception) is { } socket)
        {
            return socket.Message;
        }

        if (FindInner<HttpRequestException>(exception) is { } http)
        {
            return http.InnerException?.Message ?? http.Message;
        }

        return exception switch
        {
            RpcException { StatusCode: StatusCode.DeadlineExceeded or StatusCode.Cancelled } => "no answer in time",
            RpcException rpc => $"{rpc.StatusCode}: {rpc.Status.Detail}",
            _ => exception.Message,
        };
    }

    private static T? FindInner<T>(Exception exception)
        where T : Exception => Chain(exception).OfType<T>().FirstOrDefault();

    /// <summary>The exception and its causes, including the one a gRPC status carries (its debug exception).</summary>
    private static IEnumerable<Exception> Chain(Exception exception)
    {
        var pending = new Stack<Exception>([exception]);
        var seen = 0;
        while (pending.Count > 0 && seen++ < 32)
        {
            var e = pending.Pop();
            yield return e;
            if (e.InnerException is { } inner)
            {
                pending.Push(inner);
            }

            if (e is RpcException { Status.DebugException: { } debug })
            {
                pending.Push(debug);
            }

            if (e is AggregateException aggregate)
            {
                foreach (var each in aggregate.InnerExceptions)
                {
                    pending.Push(each);
                }
            }
        }
    }
}
