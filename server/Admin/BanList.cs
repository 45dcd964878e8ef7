using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Mixnet.Directory.Files;
using Mixnet.Directory.Server.Hosting;
using Mixnet.Directory.Server.Registry;
using Mixnet.Directory.Signing;

namespace Mixnet.Directory.Server.Admin;

/// <summary>
/// Banned identities, kept in <c>{DataPath}/bans.json</c> so a restart does not forget them.
/// Every change is written whole to a temp file, flushed to disk and renamed over the old file.
/// A file that cannot be read stops start-up: silently unbanning everyone is the worst outcome.
/// </summary>
internal sealed class BanList
{
    private const int FileFormat = 1;
    private readonly ConcurrentDictionary<NodeId, BanRecord> _bans = new();
    private readonly Lock _writeGate = new();

    public BanList(IOptions<DirectoryOptions> options)
    {
        Path = System.IO.Path.GetFullPath(System.IO.Path.Combine(options.Value.DataPath, "bans.json"));
        foreach (var ban in Load(Path))
        {
            _bans[ban.Id] = ban;
        }
    }

    public string Path { get; }

    public int Count => _bans.Count;

    public bool IsBanned(NodeId id) => !_bans.IsEmpty && _bans.ContainsKey(id);

    public IReadOnlyList<BanRecord> List() => [.. _bans.Values.OrderBy(b => b.BannedAt).ThenBy(b => b.Id)];

    /// <summary>Adds a ban and persists the list before returning; on a write failure nothing changes.</summary>
    public BanRecord Add(NodeId id, string reason, string bannedBy, DateTimeOffset now)
    {
        lock (_writeGate)
        {
            var ban = _bans.TryGetValue(id, out var existing) ? existing : new BanRecord(id, reason, now, bannedBy);
            if (existing is null)
            {
                Save([.. _bans.Values, ban]);
                _bans[id] = ban;
            }

            return ban;
        }
    }

    /// <summary>Lifts a ban and persists the list; false when there was none.</summary>
    public bool Remove(NodeId id)
    {
        lock (_writeGate)
        {
            if (!_bans.ContainsKey(id))
            {
                return false;
            }

            Save([.. _bans.Values.Where(b => b.Id != id)]);
            _bans.TryRemove(id, out _);
            return true;
        }
    }

    private void Save(IEnumerable<BanRecord> bans)
    {
        var file = new BanFile(FileFormat, [.. bans.Select(b => new BanEntry(IdHex(b.Id), b.Reason, b.BannedAt, b.BannedBy))]);
        AtomicFile.Write(Path, stream => JsonSerializer.Serialize(stream, file, BanJsonContext.Default.BanFile), overwrite: true, ownerOnly: false);
    }

    private static List<BanRecord> Load(string path)
    {
        if (!File.Exists(path))
        {
            return [];
        }

        BanFile? file;
        try
        {
            using var stream = File.OpenRead(path);
            file = JsonSerializer.Deserialize(stream, BanJsonContext.Default.BanFile);
        }
        catch (Exception ex) when (ex is JsonException or IOException or UnauthorizedAccessException)
        {
            throw Corrupt(path, ex.Message, ex);
        }

        if (file is null || file.Format != FileFormat || file.Bans is null)
        {
            throw Corrupt(path, "unknown format", null);
        }

        var records = new List<BanRecord>();
        foreach (var entry in file.Bans)
        {
            if (!KeyFingerprint.TryParse(entry.IdentityKey, out var key) || !NodeId.TryRead(key, out var id))
            {
                throw Corrupt(path, $"'{entry.IdentityKey}' is not an identity key", null);
            }

            records.Add(new BanRecord(id, entry.Reason ?? string.Empty, entry.BannedAt, entry.BannedBy ?? string.Empty));
        }

        return records;
    }

    private static Hosting.StartupException Corrupt(string path, string why, Exception? inner) => new(
        $"The ban list at '{path}' is corrupt ({why}). The directory will not start without it, so that banned nodes " +
        "are not silently let back in. Restore it from a backup, fix it, or remove it to start with no bans.", inner);

    private static string IdHex(NodeId id)
    {
        Span<byte> bytes = stackalloc byte[DirectorySignatures.PublicKeySize];
        id.CopyTo(bytes);
        return KeyFingerprint.Hex(bytes);
    }
}
