namespace Mixnet.Directory.Server.Hosting;

/// <summary>
/// A start-up failure the operator can fix (bad file, bad setting); its message names what to
/// fix and is printed as the one line the process ends with (<see cref="DirectoryProgram"/>).
/// </summary>
public sealed class StartupException : InvalidOperationException
{
    /// <summary>Creates the failure with the line to print.</summary>
    /// <param name="message">What is wrong and what to fix.</param>
    /// <param name="inner">The underlying error, if any.</param>
    public StartupException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }

    /// <summary>Creates the failure with the line to print.</summary>
    public StartupException()
    {
    }

    /// <summary>Creates the failure with the line to print.</summary>
    /// <param name="message">What is wrong and what to fix.</param>
    public StartupException(string message)
        : base(message)
    {
    }
}
