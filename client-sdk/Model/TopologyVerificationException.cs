namespace Mixnet.Directory.Client;

/// <summary>
/// A topology or delta whose signature does not verify against the directory key, or that cannot
/// be parsed. Never use such data: it did not come from the directory that was pinned.
/// </summary>
public sealed class TopologyVerificationException : Exception
{
    /// <summary>Creates the exception with a default message.</summary>
    public TopologyVerificationException()
        : base("The topology does not verify against the directory key.")
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What failed.</param>
    public TopologyVerificationException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What failed.</param>
    /// <param name="innerException">The cause.</param>
    public TopologyVerificationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
