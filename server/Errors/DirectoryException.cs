namespace Mixnet.Directory.Server.Errors;

/// <summary>A refused request. Thrown before any state changes, so a refusal never leaves partial state.</summary>
internal sealed class DirectoryException : Exception
{
    public DirectoryException(DirectoryErrorKind kind, string field, string message)
        : base(message)
    {
        Kind = kind;
        Field = field;
    }

    public DirectoryException(DirectoryErrorKind kind, string field, string message, TimeSpan retryAfter)
        : this(kind, field, message)
    {
        RetryAfter = retryAfter;
    }

    public DirectoryException()
    {
        Field = string.Empty;
    }

    public DirectoryException(string message)
        : base(message)
    {
        Field = string.Empty;
    }

    public DirectoryException(string message, Exception innerException)
        : base(message, innerException)
    {
        Field = string.Empty;
    }

    public DirectoryErrorKind Kind { get; }

    /// <summary>When the caller may try again, for refusals that pass with time.</summary>
    public TimeSpan? RetryAfter { get; }

    /// <summary>The wire name of the field at fault, or empty.</summary>
    public string Field { get; }
}
