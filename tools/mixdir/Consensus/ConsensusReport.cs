namespace Mixnet.Directory.Cli.Consensus;

/// <summary>
/// Every authority's answer and the consensus to show: the newest one that verifies, else (to
/// explain the failure, or under --no-verify) the newest one served.
/// </summary>
public sealed record ConsensusReport(ConsensusTrust Trust, IReadOnlyList<AuthorityAnswer> Answers)
{
    /// <summary>The answer whose consensus is shown; null when no authority served one.</summary>
    public AuthorityAnswer? Shown { get; } =
        Answers.Where(a => a.Check is { Verified: true }).MaxBy(a => a.Check!.Epoch)
        ?? Answers.Where(a => a.Check is not null).MaxBy(a => a.Check!.Epoch);

    /// <summary>mixdir's exit code for this report (see README, "mixdir consensus").</summary>
    public int ExitCode => Shown switch
    {
        null when Answers.Any(a => a.Reached) => ExitCodes.NotFound,
        null => ExitCodes.Unreachable,
        { Check.Verified: true } => ExitCodes.Success,
        _ when !Trust.Verify => ExitCodes.Success,
        _ => ExitCodes.KeyMismatch,
    };

    /// <summary>Why the consensus is refused: one line per authority that served one that does not verify, or had none.</summary>
    public IReadOnlyList<string> Reasons => ExitCode == ExitCodes.Success
        ? []
        : [.. Answers.Select(a => a.Check is { Failure: { } failure } ? $"{a.Address}: {failure}" : a.Error is { } error ? $"{a.Address}: {error}" : null).OfType<string>()];
}
