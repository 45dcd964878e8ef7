using Mixnet.Directory.Server.Hosting;

namespace Mixnet.Directory.Server.Keys;

/// <summary>Refuses a private key file that others on the machine can read or change (as ssh does).</summary>
internal static class KeyFilePermissions
{
    private const UnixFileMode GroupOrOthers =
        UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute |
        UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    public static void ThrowIfInsecure(string path, bool allowInsecure)
    {
        if (OperatingSystem.IsWindows() || allowInsecure)
        {
            return;
        }

        var mode = File.GetUnixFileMode(path);
        if ((mode & GroupOrOthers) != 0)
        {
            throw new StartupException(
                $"The directory signing key at '{path}' is accessible by group or others (mode {Convert.ToString((int)mode, 8)}); " +
                $"run chmod 600 '{path}', or set Directory:AllowInsecureKeyFile=true to accept it.");
        }
    }
}
