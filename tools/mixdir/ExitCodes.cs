namespace Mixnet.Directory.Cli;

/// <summary>What mixdir's exit status means, so scripts can tell failures apart.</summary>
public static class ExitCodes
{
    /// <summary>The command did what was asked (also after Ctrl+C ends watch or metrics --follow).</summary>
    public const int Success = 0;

    /// <summary>Wrong input: an unknown command or option, a malformed key or URL, a file that exists, an admin command without a token.</summary>
    public const int BadInput = 1;

    /// <summary>The directory cannot be reached or failed to answer.</summary>
    public const int Unreachable = 2;

    /// <summary>The node asked for is not registered.</summary>
    public const int NotFound = 3;

    /// <summary>The directory does not present the pinned key, or what it signed does not verify.</summary>
    public const int KeyMismatch = 4;

    /// <summary>An admin command was refused: the admin token is wrong, or the directory has no admin tokens configured.</summary>
    public const int NotAuthorized = 5;
}
