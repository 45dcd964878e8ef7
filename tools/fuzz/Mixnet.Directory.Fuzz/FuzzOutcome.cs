namespace Mixnet.Directory.Fuzz;

/// <summary>
/// What a target made of one input: accepted, or refused with the field that was wrong. These
/// are the only documented outcomes; anything else (an exception) is a crash.
/// </summary>
/// <param name="Accepted">Whether the input was accepted.</param>
/// <param name="Field">The refused field's wire name, or <c>request</c> when the bytes did not parse; null when accepted.</param>
public sealed record FuzzOutcome(bool Accepted, string? Field)
{
    /// <summary>The field name of an input that is not a serialized message at all.</summary>
    public const string Unparsable = "request";

    /// <summary>An accepted input.</summary>
    public static FuzzOutcome Accept { get; } = new(true, null);

    /// <summary>An input refused for <paramref name="field"/>.</summary>
    /// <param name="field">The field's wire name.</param>
    public static FuzzOutcome Refuse(string field) => new(false, field);

    /// <inheritdoc/>
    public override string ToString() => Accepted ? "accepted" : $"refused {Field}";
}
