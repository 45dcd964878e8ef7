namespace Mixnet.Directory.Fuzz;

/// <summary>An input for which a rule contradicted itself (for example a canonical host that canonicalizes differently); afl records it as a crash.</summary>
public sealed class InvariantViolatedException : Exception
{
    /// <summary>Creates the exception.</summary>
    public InvariantViolatedException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">Which invariant broke, and how.</param>
    public InvariantViolatedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">Which invariant broke, and how.</param>
    /// <param name="innerException">The cause.</param>
    public InvariantViolatedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
