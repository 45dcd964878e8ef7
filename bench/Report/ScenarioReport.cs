using System.Globalization;
using System.Text;
using Mixnet.Directory.Bench.Load;

namespace Mixnet.Directory.Bench.Report;

/// <summary>One scenario's section of results.md: what it measures, its settings, a table, its targets and notes.</summary>
internal sealed class ScenarioReport(string name, string what)
{
    private static readonly string[] LoadHeader =
        ["run", "shape", "calls", "calls/s", "p50 ms", "p90 ms", "p99 ms", "p99.9 ms", "max ms", "server CPU (cores)", "server CPU µs/call", "server CPU in kernel", "bench CPU (cores)", "server peak RSS MB", "errors"];

    public string Name { get; } = name;

    public string What { get; } = what;

    public List<string> Settings { get; } = [];

    public List<(string[] Header, List<string[]> Rows)> Tables { get; } = [];

    public List<TargetCheck> Targets { get; } = [];

    public List<string> Notes { get; } = [];

    public static string F(double value, int decimals = 0) =>
        double.IsNaN(value) ? "n/a" : value.ToString("N" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);

    public void AddLoad(params LoadResult[] results)
    {
        var rows = results.Select(r => new[]
        {
            r.Name, r.Shape, F(r.Requests), F(r.Rps), F(r.Ms(50), 3), F(r.Ms(90), 3), F(r.Ms(99), 3), F(r.Ms(99.9), 3), F(r.MaxMs, 3),
            F(r.ServerCores, 2), F(r.ServerCpuPerRequestUs, 1), double.IsNaN(r.ServerSystemShare) ? "n/a" : $"{r.ServerSystemShare:P0}", F(r.ClientCores, 2), F(r.ServerPeakRss / 1048576.0, 1),
            r.Errors == 0 ? "0" : $"{r.Errors} ({r.FirstError})",
        }).ToList();
        Tables.Add((LoadHeader, rows));
    }

    public void AddTable(string[] header, IEnumerable<string[]> rows) => Tables.Add((header, rows.ToList()));

    public TargetCheck Target(string target, string measured, bool? met)
    {
        var check = new TargetCheck(Name, target, measured, met);
        Targets.Add(check);
        return check;
    }

    public string ToMarkdown()
    {
        var md = new StringBuilder();
        md.Append("## ").AppendLine(Name).AppendLine();
        md.AppendLine(What).AppendLine();
        foreach (var setting in Settings)
        {
            md.Append("- ").AppendLine(setting);
        }

        if (Settings.Count > 0)
        {
            md.AppendLine();
        }

        foreach (var (header, rows) in Tables)
        {
            md.Append("| ").AppendJoin(" | ", header).AppendLine(" |");
            md.Append('|').AppendJoin("", header.Select(_ => "---|")).AppendLine();
            foreach (var row in rows)
            {
                md.Append("| ").AppendJoin(" | ", row.Select(c => c.Replace("|", "\\|", StringComparison.Ordinal))).AppendLine(" |");
            }

            md.AppendLine();
        }

        if (Targets.Count > 0)
        {
            md.AppendLine("| target | measured | verdict |").AppendLine("|---|---|---|");
            foreach (var t in Targets)
            {
                md.Append("| ").Append(t.Target).Append(" | ").Append(t.Measured).Append(" | ").Append(t.Verdict).AppendLine(" |");
            }

            md.AppendLine();
        }

        foreach (var note in Notes)
        {
            md.Append("Note: ").AppendLine(note).AppendLine();
        }

        return md.ToString();
    }

    public string ToConsole()
    {
        var text = new StringBuilder();
        text.Append("== ").Append(Name).AppendLine(" ==");
        foreach (var (header, rows) in Tables)
        {
            foreach (var row in rows)
            {
                text.Append("  ").AppendJoin("; ", header.Zip(row, (h, c) => $"{h}={c}")).AppendLine();
            }
        }

        foreach (var t in Targets)
        {
            text.Append("  target: ").Append(t.Target).Append(" -> ").Append(t.Measured).Append(" [").Append(t.Verdict.Trim('*')).AppendLine("]");
        }

        foreach (var note in Notes)
        {
            text.Append("  note: ").AppendLine(note);
        }

        return text.ToString();
    }
}
