using System.Text.Json;
using Mixnet.Directory.Files;
using Mixnet.Directory.Server.Registry;
using Mixnet.Directory.Signing;

namespace Mixnet.Directory.Server.Quality;

/// <summary>
/// Keeps the scores across restarts in one file, written whole to a temp file, flushed to disk
/// and renamed over the old one. An unreadable file is not fatal (scores are rebuilt from traffic
/// within a window), unlike the ban list.
/// </summary>
internal sealed class QualityStore(string path)
{
    private const int FileFormat = 1;

    public string Path { get; } = path;

    public void Save(IReadOnlyDictionary<NodeId, NodeScore> scores)
    {
        var entries = new List<QualityEntry>(scores.Count);
        Span<byte> key = stackalloc byte[DirectorySignatures.PublicKeySize];
        foreach (var (id, s) in scores)
        {
            id.CopyTo(key);
            entries.Add(new QualityEntry(KeyFingerprint.Hex(key), Math.Round(s.Reliability, 6), Math.Round(s.Reliability24h, 6), Math.Round(s.Uptime, 6),
                s.ReliabilitySamples, s.PresenceSamples, s.Excluded, s.LastListed));
        }

        AtomicFile.Write(Path, stream => JsonSerializer.Serialize(stream, new QualityFile(FileFormat, entries), QualityJsonContext.Default.QualityFile), overwrite: true, ownerOnly: false);
    }

    /// <returns>The saved scores; empty when there is no file.</returns>
    /// <exception cref="InvalidDataException">The file exists but is not a quality file.</exception>
    public Dictionary<NodeId, NodeScore> Load()
    {
        var scores = new Dictionary<NodeId, NodeScore>();
        if (!File.Exists(Path))
        {
            return scores;
        }

        QualityFile? file;
        try
        {
            using var stream = File.OpenRead(Path);
            file = JsonSerializer.Deserialize(stream, QualityJsonContext.Default.QualityFile);
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException(ex.Message, ex);
        }

        if (file is null || file.Format != FileFormat || file.Nodes is null)
        {
            throw new InvalidDataException("unknown format");
        }

        foreach (var e in file.Nodes)
        {
            if (!KeyFingerprint.TryParse(e.Id, out var key) || !NodeId.TryRead(key, out var id))
            {
                throw new InvalidDataException($"'{e.Id}' is not an identity key");
            }

            scores[id] = new NodeScore
            {
                Reliability = Math.Clamp(e.Reliability, 0, 1),
                Reliability24h = Math.Clamp(e.Reliability24h, 0, 1),
                Uptime = Math.Clamp(e.Uptime, 0, 1),
                ReliabilitySamples = Math.Max(0, e.ReliabilitySamples),
                PresenceSamples = Math.Max(0, e.PresenceSamples),
                Excluded = e.Excluded,
                LastListed = e.LastListed,
            };
        }

        return scores;
    }
}
