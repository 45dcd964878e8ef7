using System.Globalization;
using Grpc.Core;

namespace Mixnet.Directory.Client.Internal;

/// <summary>Reads the directory's "come back later" hint from a refusal's trailers.</summary>
internal static class RetryAfterHint
{
    /// <summary>The wait the directory asked for (<c>grpc-retry-pushback-ms</c> or <c>retry-after</c> seconds), capped, or zero.</summary>
    public static TimeSpan From(RpcException ex, TimeSpan cap)
    {
        if (ex.StatusCode != StatusCode.ResourceExhausted)
        {
            return TimeSpan.Zero;
        }

        var hint = TimeSpan.Zero;
        if (long.TryParse(ex.Trailers.GetValue("grpc-retry-pushback-ms"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var ms) && ms > 0)
        {
            hint = TimeSpan.FromMilliseconds(ms);
        }
        else if (int.TryParse(ex.Trailers.GetValue("retry-after"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var seconds) && seconds > 0)
        {
            hint = TimeSpan.FromSeconds(seconds);
        }

        return hint > cap ? cap : hint;
    }
}
