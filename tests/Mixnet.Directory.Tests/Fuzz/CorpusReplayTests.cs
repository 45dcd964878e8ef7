using Mixnet.Directory.Fuzz;

namespace Mixnet.Directory.Tests.Fuzz;

/// <summary>
/// Replays the committed afl corpus (tools/fuzz/corpus/TARGET) through the same targets the
/// fuzzer runs, so CI exercises every input afl found interesting without needing afl.
/// </summary>
public sealed class CorpusReplayTests
{
    private static IEnumerable<string> Targets() => FuzzTargets.All.Keys.Order(StringComparer.Ordinal);

    [TestCaseSource(nameof(Targets))]
    public void Replay_EveryCorpusInput_DocumentedOutcome(string target)
    {
        var folder = Path.Combine(RepoRoot(), "tools", "fuzz", "corpus", target);
        var files = System.IO.Directory.GetFiles(folder).Order(StringComparer.Ordinal).ToArray();
        var outcomes = new List<FuzzOutcome>();
        var failures = new List<string>();
        foreach (var file in files)
        {
            try
            {
                var outcome = FuzzTargets.All[target](File.ReadAllBytes(file));
                outcomes.Add(outcome);
                if (!outcome.Accepted && string.IsNullOrEmpty(outcome.Field))
                {
                    failures.Add($"{Path.GetFileName(file)}: refused without naming a field");
                }
            }
            catch (Exception ex)
            {
                failures.Add($"{Path.GetFileName(file)}: {ex.GetType().Name}: {ex.Message}");
            }
        }

        Assert.Multiple(() =>
        {
            Assert.That(failures, Is.Empty);
            Assert.That(files, Has.Length.GreaterThanOrEqualTo(10), "the corpus should hold tens of inputs");
            // A corpus of only refusals (or only acceptances) would not exercise both sides of the rules.
            Assert.That(outcomes.Count(o => o.Accepted), Is.GreaterThan(0));
            Assert.That(outcomes.Count(o => !o.Accepted), Is.GreaterThan(0));
        });
    }

    [Test]
    public void Targets_OneCorpusFolderEach() =>
        Assert.That(
            System.IO.Directory.GetDirectories(Path.Combine(RepoRoot(), "tools", "fuzz", "corpus")).Select(Path.GetFileName).Order(StringComparer.Ordinal),
            Is.EqualTo(Targets()));

    private static string RepoRoot()
    {
        var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Directory.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("Directory.sln not found above " + TestContext.CurrentContext.TestDirectory);
    }
}
