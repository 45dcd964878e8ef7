using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace Mixnet.Directory.Server.Registry;

/// <summary>
/// The network a registration came from, as counted by <c>Directory:MaxNodesPerHost</c>: the IPv4
/// address, or the IPv6 /64 (one subscriber usually holds a whole /64, so counting single IPv6
/// addresses would count nothing). The default value means "unknown" and is not counted.
/// </summary>
internal readonly record struct CallerPrefix(ulong Bits, AddressFamily Family)
{
    public bool IsKnown => Family != AddressFamily.Unspecified;

    public static CallerPrefix Of(IPAddress? caller)
    {
        if (caller is null)
        {
            return default;
        }

        var address = CanonicalHost.Address(caller);
        Span<byte> bytes = stackalloc byte[16];
        if (!address.TryWriteBytes(bytes, out var written))
        {
            return default;
        }

        return address.AddressFamily == AddressFamily.InterNetwork
            ? new CallerPrefix(BinaryPrimitives.ReadUInt32BigEndian(bytes[..written]), AddressFamily.InterNetwork)
            : new CallerPrefix(BinaryPrimitives.ReadUInt64BigEndian(bytes[..8]), AddressFamily.InterNetworkV6);
    }

    public override string ToString() => !IsKnown ? "unknown"
        : Family == AddressFamily.InterNetwork
            ? new IPAddress(BinaryPrimitives.ReverseEndianness((uint)Bits)).ToString()
            : string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{Bits:x16}::/64");
}
