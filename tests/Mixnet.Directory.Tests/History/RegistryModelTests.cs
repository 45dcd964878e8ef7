using CsCheck;
using Mixnet.Directory.Tests.History.Model;

namespace Mixnet.Directory.Tests.History;

/// <summary>
/// Model-based: random sequences of register, re-register, heartbeat, deregister, ban, unban,
/// replay and expiry against the registry on a fake clock and against a dictionary model, checked
/// after every step; CsCheck shrinks a failure to the shortest sequence and prints its seed.
/// </summary>
public sealed class RegistryModelTests
{
    private static readonly Gen<ModelOp> Op = Gen.Select(
        Gen.Frequency(
            (3, ModelOpKind.Register),
            (2, ModelOpKind.ReRegister),
            (3, ModelOpKind.Heartbeat),
            (2, ModelOpKind.Deregister),
            (2, ModelOpKind.Ban),
            (2, ModelOpKind.Unban),
            (3, ModelOpKind.Replay),
            (2, ModelOpKind.Advance),
            (1, ModelOpKind.Sweep),
            (1, ModelOpKind.Expire)),
        Gen.Int[0, ModelRun.NodeCount - 1],
        Gen.Int[0, 3],
        (kind, node, arg) => new ModelOp(kind, node, arg));

    [Test]
    [CancelAfter(30_000)]
    public void RandomOperations_RegistryMatchesModel()
    {
        // MIXDIR_MODEL_SEED repeats a run; CsCheck prints the seed of a failing one, and the
        // inner exception the greedily shrunk sequence.
        Op.Array[1, 30].Sample(
            ModelShrinker.ExecuteShrinkingFailures,
            seed: Environment.GetEnvironmentVariable("MIXDIR_MODEL_SEED"),
            iter: 300,
            threads: 1,
            print: ops => string.Join(", ", ops));
    }

    [TestCaseSource(nameof(RemovalPaths))]
    public void Replay_AfterEachWayANodeLeaves_RefusedWhileAFreshOneIsAccepted(string path, ModelOp[] leave)
    {
        var node = 0;
        ModelOp[] ops =
        [
            new(ModelOpKind.Register, node, 0),
            .. leave,
            new(ModelOpKind.Replay, node, 0),
            new(ModelOpKind.Register, node, 0),
            new(ModelOpKind.Replay, node, 0),
        ];

        Assert.DoesNotThrow(() => ModelRun.Execute(ops), path);
    }

    private static IEnumerable<TestCaseData> RemovalPaths()
    {
        yield return Path("deregister", new ModelOp(ModelOpKind.Deregister, 0, 0));
        yield return Path("expiry", new ModelOp(ModelOpKind.Expire, 0, 0));
        yield return Path("re-registration", new ModelOp(ModelOpKind.ReRegister, 0, 0));
        yield return Path("ban, then unban", new ModelOp(ModelOpKind.Ban, 0, 0), new ModelOp(ModelOpKind.Unban, 0, 0));
    }

    private static TestCaseData Path(string name, params ModelOp[] leave) => new TestCaseData(name, leave).SetArgDisplayNames(name);
}
