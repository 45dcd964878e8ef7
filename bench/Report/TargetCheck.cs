namespace Mixnet.Directory.Bench.Report;

/// <summary>One target of issue 5 and what this run measured; Met is null when it could not be measured.</summary>
internal sealed record TargetCheck(string Scenario, string Target, string Measured, bool? Met)
{
    public string Verdict => Met switch { true => "met", false => "**missed**", null => "not measured" };
}
