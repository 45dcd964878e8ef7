using Microsoft.Extensions.Logging;
using Mixnet.Directory.Tests.Infrastructure;

namespace Mixnet.Directory.Tests.Hostile;

/// <summary>
/// Which captured entries a production directory would write, by the levels of
/// server/appsettings.json (the test host captures everything from Debug up).
/// </summary>
public static class ProductionLogs
{
    public static bool Visible(CapturedLog entry)
    {
        var minimum = entry.Category.StartsWith("Microsoft.AspNetCore.Hosting.Diagnostics", StringComparison.Ordinal) ? LogLevel.None
            : entry.Category.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal) ? LogLevel.Warning
            : entry.Category.StartsWith("Grpc.AspNetCore.Server.ServerCallHandler", StringComparison.Ordinal) ? LogLevel.Warning
            : LogLevel.Information;
        return entry.Level >= minimum;
    }
}
