using System.Globalization;
using System.Text;

namespace Mixnet.Directory.Client;

/// <summary>What the directory says about itself. Prints the key as its fingerprint.</summary>
/// <param name="DirectoryKey">The directory's Ed25519 public key (32 bytes) that signs topologies.</param>
/// <param name="Fingerprint">The key's <c>SHA256:</c> fingerprint, to compare by eye with the server's log.</param>
/// <param name="Ttl">How long a node stays listed without a heartbeat.</param>
/// <param name="HeartbeatInterval">How often nodes are told to heartbeat.</param>
/// <param name="ServerVersion">The directory software's version.</param>
public sealed record DirectoryInfo(
    ReadOnlyMemory<byte> DirectoryKey,
    string Fingerprint,
    TimeSpan Ttl,
    TimeSpan HeartbeatInterval,
    string ServerVersion)
{
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append(CultureInfo.InvariantCulture, $"Fingerprint = {Fingerprint}, Ttl = {Ttl}, HeartbeatInterval = {HeartbeatInterval}, ServerVersion = {ServerVersion}");
        return true;
    }
}
