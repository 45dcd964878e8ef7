using System.Net.Sockets;
using Grpc.Core;
using Spectre.Console.Cli;

namespace Mixnet.Directory.Cli.Infrastructure;

/// <summary>Turns failures into one readable line and an exit code; never a stack trace.</summary>
public static class CliErrors
{
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

        return $"cannot reach the directory at {address}: {Reason(exception)}";
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
        where T : Exception
    {
        for (Exception? e = exception; e is not null; e = e.InnerException)
        {
            if (e is T match)
            {
                return match;
            }
        }

        return null;
    }
}
