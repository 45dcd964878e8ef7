using Spectre.Console;

namespace Mixnet.Directory.Cli.Infrastructure;

/// <summary>
/// Where mixdir writes: a rich console for tables and live views, the raw writer for
/// machine-readable output (JSON must not be wrapped), and a separate error console.
/// </summary>
public sealed class CliConsole
{
    public CliConsole(TextWriter output, TextWriter error, Func<string, string?> environment)
    {
        RawOut = output;
        RawError = error;
        Environment = environment;
        Out = Create(output, ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected);
        Error = Create(error, ReferenceEquals(error, Console.Error) && !Console.IsErrorRedirected);
    }

    /// <summary>Results: tables, live displays.</summary>
    public IAnsiConsole Out { get; }

    /// <summary>Error messages.</summary>
    public IAnsiConsole Error { get; }

    /// <summary>Results written as they are (JSON, key material).</summary>
    public TextWriter RawOut { get; }

    /// <summary>Errors written as they are.</summary>
    public TextWriter RawError { get; }

    /// <summary>Reads an environment variable.</summary>
    public Func<string, string?> Environment { get; }

    /// <summary>Whether <see cref="Out"/> is a terminal that can redraw in place.</summary>
    public bool IsInteractive => Out.Profile.Capabilities.Ansi && Out.Profile.Capabilities.Interactive;

    /// <summary>Writes one plain error line to stderr.</summary>
    public void WriteError(string message) => RawError.WriteLine("mixdir: " + message);

    /// <summary>The width tables get when the output is not a terminal (which would tell its own).</summary>
    private const int RedirectedWidth = 120;

    private static IAnsiConsole Create(TextWriter writer, bool isTerminal)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(writer),
            // Only a real console gets colours and cursor movement; redirected writers get plain text.
            Ansi = isTerminal ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = isTerminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = isTerminal ? InteractionSupport.Detect : InteractionSupport.No,
        });
        if (!isTerminal)
        {
            console.Profile.Width = RedirectedWidth;
        }

        return console;
    }
}
