namespace Mixnet.Directory.Cli.Keys;

/// <summary>
/// Where a private key file goes (<c>keygen</c> and <c>authority keygen</c>): checks the target
/// before a key is made, and turns a failed write into one line naming the option.
/// </summary>
public static class KeyFileTarget
{
    /// <summary>Why <paramref name="path"/> cannot take a new key, or null when it can.</summary>
    /// <param name="path">The path as the user wrote it.</param>
    /// <param name="force">Whether replacing an existing file was asked for.</param>
    /// <param name="forceHint">What to say about replacing it (empty when it is never allowed).</param>
    public static string? Check(string path, bool force, string forceHint)
    {
        ArgumentNullException.ThrowIfNull(path);
        var full = Path.GetFullPath(path);
        if (System.IO.Directory.Exists(full))
        {
            return $"--out: '{path}' is a directory; name a file.";
        }

        return File.Exists(full) && !force ? $"--out: '{path}' exists; refusing to overwrite a key{forceHint}." : null;
    }

    /// <summary>Runs <paramref name="write"/> on the full path; null when it worked, else the error line.</summary>
    public static string? TryWrite(string path, Action<string> write)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(write);
        try
        {
            write(Path.GetFullPath(path));
            return null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return $"--out: cannot write '{path}': {ex.Message}";
        }
    }
}
