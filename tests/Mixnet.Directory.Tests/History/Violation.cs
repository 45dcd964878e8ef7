namespace Mixnet.Directory.Tests.History;

/// <summary>One broken invariant, named so a test can assert which one, with the evidence.</summary>
public sealed record Violation(string Invariant, string Detail)
{
    public override string ToString() => $"[{Invariant}] {Detail}";
}
