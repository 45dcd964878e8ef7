namespace Mixnet.Directory.Cli.Infrastructure;

/// <summary>Input that turned out wrong only once the directory answered (an id prefix that matches no node, or several); exit 1.</summary>
public sealed class BadInputException : Exception
{
    public BadInputException()
    {
    }

    public BadInputException(string message)
        : base(message)
    {
    }

    public BadInputException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
