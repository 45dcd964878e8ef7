namespace Mixnet.Directory.Cli.Infrastructure;

/// <summary>
/// Lets the directory options, --timeout and -o also stand before the command (<c>mixdir --directory URL topology</c>).
/// Spectre.Console.Cli binds options to commands, so they are moved, unparsed, to just after the
/// command name; Spectre still does all the parsing and validation.
/// </summary>
public static class GlobalOptions
{
    private static readonly string[] Names = ["--directory", "--directory-key", "--timeout", "-o", "--output"];

    public static string[] MoveAfterCommand(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var leading = new List<string>();
        var i = 0;
        while (i < args.Length)
        {
            if (Names.Contains(args[i], StringComparer.Ordinal) && i + 1 < args.Length)
            {
                leading.Add(args[i]);
                leading.Add(args[i + 1]);
                i += 2;
            }
            else if (Names.Any(n => args[i].StartsWith(n + "=", StringComparison.Ordinal)))
            {
                leading.Add(args[i]);
                i++;
            }
            else
            {
                break;
            }
        }

        return leading.Count == 0 || i >= args.Length ? args : [args[i], .. leading, .. args[(i + 1)..]];
    }
}
