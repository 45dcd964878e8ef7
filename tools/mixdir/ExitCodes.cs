namespace Mixnet.Directory.Cli;

/// <summary>What mixdir's exit status means, so scripts can tell failures apart.</summary>
public static class ExitCodes
{
    /// <summary>The command did what was asked (also after Ctrl+C ends watch or metrics --follow).</summary>
    public const int Success = 0;

    /// <summary>Wrong input: an unknown command or option, a malformed key or URL, a file that exists, an admin command without a token, an id prefix that matches no node or several, a request the directory refused as invalid.</summary>
    public const int BadInput = 1;

    /// <summary>The directory cannot be reached or failed to answer.</summary>
    public const int Unreachable = 2;

    /// <summary>The node asked for is not registered (node, node heartbeat), or its lease is unknown.</summary>
    public const int NotFound = 3;

    /// <summary>The directory does not present the pinned key, or what it signed does not verify.</summary>
    public const int KeyMismatch = 4;

    /// <summary>An admin command was refused (wrong admin token, or no admin tokens configured), or a node command was refused (banned node, wrong lease token).</summary>
    public const int NotAuthorized = 5;

    /// <summary><c>health</c>: the directory answered, but not SERVING.</summary>
    public const int NotServing = 1;

    /// <summary>SIGINT or SIGTERM ended a one-shot command before it finished (128 + SIGINT, as shells report it).</summary>
    public const int Cancelled = 130;
}
