namespace Mixnet.Directory.Cli.Infrastructure;

/// <summary>The directory presents a key other than the pinned one; the message is what the user sees.</summary>
public sealed class DirectoryKeyMismatchException : Exception
{
    public DirectoryKeyMismatchException()
    {
    }

    public DirectoryKeyMismatchException(string message)
        : base(message)
    {
    }

    public DirectoryKeyMismatchException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
