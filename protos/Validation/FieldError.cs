namespace Mixnet.Directory.Validation;

/// <summary>A rejected field: its wire name and why it was rejected.</summary>
/// <param name="Field">The field's wire name, for example <c>descriptor.mix_port</c>.</param>
/// <param name="Reason">What is wrong with it, for people.</param>
public sealed record FieldError(string Field, string Reason)
{
    /// <inheritdoc/>
    public override string ToString() => $"{Field}: {Reason}";
}
