using System.Text;

namespace Mixnet.Directory.Bench.Report;

/// <summary>Writes results.md: machine, settings, a summary of every target, then each scenario's tables.</summary>
internal static class ResultsWriter
{
    public static string Write(BenchOptions options, IReadOnlyList<string> machine, DateTimeOffset started, IReadOnlyList<ScenarioReport> reports, IReadOnlyList<string> failures)
    {
        var md = new StringBuilder();
        md.AppendLine("# Mixnet Directory benchmark results").AppendLine();
        md.Append("Run ").Append(started.ToString("yyyy-MM-dd HH:mm 'UTC'", System.Globalization.CultureInfo.InvariantCulture))
            .Append(" with `dotnet run -c Release --project bench -- ").AppendJoin(' ', options.Scenarios.Distinct()).Append(options.Quick ? " --quick" : "").AppendLine("`.");
        md.AppendLine("The directory runs as a separate process (Release build) on loopback; the load generator shares the same cores, so ratios measured in one run are what to compare (DESIGN.md §5).").AppendLine();
        md.AppendLine("### Machine").AppendLine();
        foreach (var line in machine)
        {
            md.Append("- ").AppendLine(line);
        }

        md.Append("- load average at end: ").AppendLine(MachineInfo.LoadAverage).AppendLine();
        md.AppendLine("### Settings").AppendLine();
        foreach (var line in options.Describe())
        {
            md.Append("- ").AppendLine(line);
        }

        md.AppendLine("- every directory process: `--Directory:PresenceTtl=00:10:00 --Directory:MaxClockSkew=01:00:00 --Directory:RateLimits:Enabled=false` (one loopback IP drives thousands of nodes; the limits are abuse controls, not capacity), logging at Warning, a fresh data directory").AppendLine();
        md.AppendLine("### Targets").AppendLine();
        md.AppendLine("| scenario | target | measured | verdict |").AppendLine("|---|---|---|---|");
        foreach (var t in reports.SelectMany(r => r.Targets))
        {
            md.Append("| ").Append(t.Scenario).Append(" | ").Append(t.Target).Append(" | ").Append(t.Measured).Append(" | ").Append(t.Verdict).AppendLine(" |");
        }

        md.AppendLine();
        foreach (var failure in failures)
        {
            md.Append("- FAILED: ").AppendLine(failure);
        }

        if (failures.Count > 0)
        {
            md.AppendLine();
        }

        foreach (var report in reports)
        {
            md.Append(report.ToMarkdown());
        }

        return md.ToString();
    }
}
