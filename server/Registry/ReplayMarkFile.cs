using System.Buffers.Binary;
using System.Security.Cryptography;
using Mixnet.Directory.Files;

namespace Mixnet.Directory.Server.Registry;

/// <summary>
/// The replay marks on disk, <c>{DataPath}/replay-marks.bin</c>: "MXRM", format, count, then per
/// identity its 32-byte key and the newest accepted signed_at (UTC ticks), then a SHA-256 of all
/// that. Binary, because 100,000 marks are 4 MB here and three times that as JSON. Written whole to
/// a temp file, flushed to disk and renamed over the old one, so a crash leaves the old or the new
/// file, never half of one. A file that cannot be read stops start-up: starting without it would
/// let every captured registration be replayed.
/// </summary>
internal static class ReplayMarkFile
{
    private const uint Magic = 0x4D52584D; // "MXRM" read little-endian
    private const int Format = 1;
    private const int HeaderSize = 12;
    private const int EntrySize = 40;
    private const int HashSize = 32;

    public static string PathIn(string dataPath) => Path.GetFullPath(Path.Combine(dataPath, "replay-marks.bin"));

    /// <summary>The marks an earlier run left, or null when there was none.</summary>
    public static List<KeyValuePair<NodeId, DateTimeOffset>>? Load(string path)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw Corrupt(path, ex.Message, ex);
        }

        if (bytes.Length < HeaderSize + HashSize || BinaryPrimitives.ReadUInt32LittleEndian(bytes) != Magic)
        {
            throw Corrupt(path, "not a replay mark file", null);
        }

        if (BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(4)) != Format)
        {
            throw Corrupt(path, "unknown format", null);
        }

        var count = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(8));
        var body = HeaderSize + ((long)count * EntrySize);
        if (count < 0 || body + HashSize != bytes.Length)
        {
            throw Corrupt(path, "truncated", null);
        }

        if (!CryptographicOperations.FixedTimeEquals(SHA256.HashData(bytes.AsSpan(0, (int)body)), bytes.AsSpan((int)body)))
        {
            throw Corrupt(path, "checksum mismatch", null);
        }

        var marks = new List<KeyValuePair<NodeId, DateTimeOffset>>(count);
        for (var i = 0; i < count; i++)
        {
            var entry = bytes.AsSpan(HeaderSize + (i * EntrySize), EntrySize);
            var ticks = BinaryPrimitives.ReadInt64LittleEndian(entry[32..]);
            if (!NodeId.TryRead(entry[..32], out var id) || ticks < DateTimeOffset.MinValue.UtcTicks || ticks > DateTimeOffset.MaxValue.UtcTicks)
            {
                throw Corrupt(path, $"entry {i} is invalid", null);
            }

            marks.Add(new(id, new DateTimeOffset(ticks, TimeSpan.Zero)));
        }

        return marks;
    }

    public static void Save(string path, IReadOnlyList<KeyValuePair<NodeId, DateTimeOffset>> marks)
    {
        var body = HeaderSize + (marks.Count * EntrySize);
        var bytes = new byte[body + HashSize];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, Magic);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(4), Format);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(8), marks.Count);
        for (var i = 0; i < marks.Count; i++)
        {
            var entry = bytes.AsSpan(HeaderSize + (i * EntrySize), EntrySize);
            marks[i].Key.CopyTo(entry[..32]);
            BinaryPrimitives.WriteInt64LittleEndian(entry[32..], marks[i].Value.UtcTicks);
        }

        SHA256.HashData(bytes.AsSpan(0, body), bytes.AsSpan(body));
        AtomicFile.Write(path, bytes, overwrite: true, ownerOnly: false);
    }

    private static InvalidOperationException Corrupt(string path, string why, Exception? inner) => new(
        $"The replay mark file at '{path}' is corrupt ({why}). The directory will not start without it, so that registrations " +
        "captured before the restart cannot be replayed. Restore it from a backup, or remove it and start no sooner than " +
        "Directory:MaxClockSkew after the last run stopped.", inner);
}
