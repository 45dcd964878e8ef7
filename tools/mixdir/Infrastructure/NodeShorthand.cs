namespace Mixnet.Directory.Cli.Infrastructure;

/// <summary>
/// Lets <c>mixdir node &lt;id&gt;</c> stand for <c>mixdir node show &lt;id&gt;</c>, next to
/// <c>node register|heartbeat|deregister</c>. Spectre.Console.Cli can give a branch a default command,
/// but then an unknown option after the id is reported as an unknown command named after the id;
/// inserting the command name keeps strict parsing's messages right.
/// </summary>
public static class NodeShorthand
{
    private static readonly string[] Subcommands = ["show", "register", "heartbeat", "deregister"];

    // The node branch's options that take a value (DirectorySettings and OutputSettings).
    private static readonly string[] ValueOptions = ["--directory", "--directory-key", "--timeout", "-o", "--output"];

    public static string[] Expand(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (args.Length < 2 || args[0] != "node")
        {
            return args;
        }

        var i = 1;
        while (i < args.Length && args[i].StartsWith('-'))
        {
            i += ValueOptions.Contains(args[i], StringComparer.Ordinal) ? 2 : 1;
        }

        return i >= args.Length || Subcommands.Contains(args[i], StringComparer.Ordinal)
            ? args
            : [.. args[..i], "show", .. args[i..]];
    }
}
