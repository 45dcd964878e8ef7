namespace Mixnet.Directory.Tests.History.Model;

/// <summary>One step: what, on which node, with a small argument (which capture to replay, how far to advance).</summary>
public readonly record struct ModelOp(ModelOpKind Kind, int Node, int Arg)
{
    public override string ToString() => Kind switch
    {
        ModelOpKind.Sweep or ModelOpKind.Expire => Kind.ToString(),
        ModelOpKind.Advance => $"Advance({Arg + 1})",
        ModelOpKind.Replay => $"Replay(n{Node}, #{Arg})",
        _ => $"{Kind}(n{Node})",
    };
}
