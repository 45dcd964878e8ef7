using Mixnet.Directory.Cli.Consensus;
using Mixnet.Directory.Cli.Infrastructure;
using Mixnet.Directory.Cli.Rendering;
using Spectre.Console.Cli;

namespace Mixnet.Directory.Cli.Commands;

/// <summary>
/// <c>mixdir consensus</c>: asks every given authority for its signed consensus, checks the newest
/// against the pinned keys with the SDK's rules, and shows the epoch, its times, who signed and the
/// node counts. Exit 0 when it verifies (or under --no-verify), 4 when none verifies, 3 when no
/// authority holds one yet, 2 when none answered.
/// </summary>
public sealed class ConsensusCommand(CliConsole console) : AsyncCommand<ConsensusSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, ConsensusSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var trust = settings.Resolve(console.Environment, out var problem);
        if (trust is null)
        {
            console.WriteError(problem!);
            return ExitCodes.BadInput;
        }

        var answers = await ConsensusFetch.AskAllAsync(trust, settings.CallTimeout, TimeProvider.System, cancellationToken);
        var report = new ConsensusReport(trust, answers);
        if (settings.Format == OutputFormat.Json)
        {
            ConsensusJson.Write(console.RawOut, report);
        }
        else
        {
            ConsensusText.Write(console.RawOut, report);
        }

        foreach (var reason in report.Reasons)
        {
            console.WriteError(reason);
        }

        return report.ExitCode;
    }
}
