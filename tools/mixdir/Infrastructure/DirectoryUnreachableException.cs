namespace Mixnet.Directory.Cli.Infrastructure;

/// <summary>The directory could not be reached or did not answer; the message is what the user sees.</summary>
public sealed class DirectoryUnreachableException : Exception
{
    public DirectoryUnreachableException()
    {
    }

    public DirectoryUnreachableException(string message)
        : base(message)
    {
    }

    public DirectoryUnreachableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
