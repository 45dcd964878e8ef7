using System.Net.Sockets;
using System.Reflection;
using Microsoft.Extensions.Options;

namespace Mixnet.Directory.Server.Hosting;

/// <summary>Turns whatever stopped start-up into one line that says what to fix.</summary>
internal static class StartupFailure
{
    public static string Describe(Exception error)
    {
        var root = Unwrap(error);
        return root switch
        {
            OptionsValidationException invalid => "invalid settings: " + string.Join(" ", invalid.Failures),
            StartupException startup => startup.Message,
            IOException io when io.InnerException is SocketException { SocketErrorCode: SocketError.AddressAlreadyInUse } || io.Message.Contains("address already in use", StringComparison.OrdinalIgnoreCase) =>
                $"{OneLine(io.Message)} Stop the other process or choose another port (Kestrel:Endpoints:<name>:Url).",
            SocketException { SocketErrorCode: SocketError.AddressAlreadyInUse } socket =>
                $"{OneLine(socket.Message)} Stop the other process or choose another port (Kestrel:Endpoints:<name>:Url).",
            _ => $"{root.GetType().Name}: {OneLine(root.Message)}",
        };
    }

    private static Exception Unwrap(Exception error)
    {
        while (true)
        {
            switch (error)
            {
                case AggregateException { InnerExceptions.Count: 1 } aggregate:
                    error = aggregate.InnerExceptions[0];
                    continue;
                case TargetInvocationException { InnerException: { } inner }:
                    error = inner;
                    continue;
            }

            // A setting or file error the directory raised may sit under the host's own wrapper.
            for (var e = error.InnerException; e is not null; e = e.InnerException)
            {
                if (e is StartupException or OptionsValidationException)
                {
                    return e;
                }
            }

            return error;
        }
    }

    private static string OneLine(string text) => text.ReplaceLineEndings(" ").Trim();
}
