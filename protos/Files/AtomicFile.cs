using System.Runtime.InteropServices;

namespace Mixnet.Directory.Files;

/// <summary>
/// Writes a whole file so that a reader, or the next start after a crash or a power cut, finds the
/// old content or the new, never part of one: the bytes go to a temporary file beside the target,
/// are flushed to the disk, the temporary file is renamed over the target, and (on Unix) the folder
/// is flushed too so the rename itself survives. The one way the directory, the SDK and the tools
/// write keys, identities, bans, replay marks and scores.
/// </summary>
public static partial class AtomicFile
{
    private const UnixFileMode OwnerFolder = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode OwnerFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    // open(2) flags and errno values, the same on Linux and macOS where used here.
    private const int ReadOnly = 0;
    private const int Invalid = 22;

    /// <summary>Writes <paramref name="path"/> atomically with what <paramref name="write"/> puts in the stream.</summary>
    /// <param name="path">The file to write; its folder is created if missing.</param>
    /// <param name="write">Writes the whole content; the stream is flushed and closed after it returns.</param>
    /// <param name="overwrite">False: an existing file is left as it is and <see cref="IOException"/> is thrown (for keys: whoever wrote first wins).</param>
    /// <param name="ownerOnly">True for secrets: the file is created 0600 and a missing folder 0700 (Unix).</param>
    /// <exception cref="IOException">The file exists and <paramref name="overwrite"/> is false, or the disk refused.</exception>
    public static void Write(string path, Action<Stream> write, bool overwrite, bool ownerOnly)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(write);
        var full = Path.GetFullPath(path);
        var folder = Path.GetDirectoryName(full)!;
        if (ownerOnly && !OperatingSystem.IsWindows())
        {
            System.IO.Directory.CreateDirectory(folder, OwnerFolder);
        }
        else
        {
            System.IO.Directory.CreateDirectory(folder);
        }

        var temp = full + "." + Guid.NewGuid().ToString("N") + ".tmp";
        try
        {
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
            if (ownerOnly && !OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = OwnerFile;
            }

            using (var stream = new FileStream(temp, options))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temp, full, overwrite);
            FlushFolder(folder);
        }
        finally
        {
            File.Delete(temp);
        }
    }

    /// <summary>Writes <paramref name="content"/> to <paramref name="path"/> atomically; see <see cref="Write(string, Action{Stream}, bool, bool)"/>.</summary>
    /// <param name="path">The file to write.</param>
    /// <param name="content">The whole content.</param>
    /// <param name="overwrite">False: an existing file is kept and <see cref="IOException"/> is thrown.</param>
    /// <param name="ownerOnly">True for secrets (0600, folder 0700).</param>
    public static void Write(string path, byte[] content, bool overwrite, bool ownerOnly)
    {
        ArgumentNullException.ThrowIfNull(content);
        Write(path, stream => stream.Write(content), overwrite, ownerOnly);
    }

    /// <summary>fsync(2) on the folder, so the rename is on the disk before the caller acknowledges anything.</summary>
    private static void FlushFolder(string folder)
    {
        if (OperatingSystem.IsWindows())
        {
            return; // NTFS journals the rename; there is no folder handle to flush from .NET.
        }

        var fd = Open(folder, ReadOnly);
        if (fd < 0)
        {
            throw new IOException($"cannot open the folder '{folder}' to flush it (errno {Marshal.GetLastPInvokeError()})");
        }

        try
        {
            // Some file systems cannot flush a folder (EINVAL); their renames are as durable as they get.
            if (Fsync(fd) != 0 && Marshal.GetLastPInvokeError() is var errno && errno != Invalid)
            {
                throw new IOException($"cannot flush the folder '{folder}' (errno {errno})");
            }
        }
        finally
        {
            _ = Close(fd);
        }
    }

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int Fsync(int fd);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);
}
