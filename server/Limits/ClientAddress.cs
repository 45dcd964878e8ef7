using System.Net;
using System.Net.Sockets;

namespace Mixnet.Directory.Server.Limits;

/// <summary>
/// The key every per-IP limit counts under. One IPv6 subscriber usually holds a whole /64, so
/// limiting per IPv6 address would give them 2^64 buckets: IPv6 callers share one key per /64.
/// An IPv4-mapped IPv6 address (::ffff:a.b.c.d, seen on dual-stack sockets) is the IPv4 caller.
/// </summary>
internal static class ClientAddress
{
    /// <summary>The limit key for <paramref name="remote"/> (<see cref="IPAddress.None"/> when unknown, e.g. in-process tests).</summary>
    public static IPAddress KeyOf(IPAddress? remote)
    {
        if (remote is null)
        {
            return IPAddress.None;
        }

        if (remote.IsIPv4MappedToIPv6)
        {
            return remote.MapToIPv4();
        }

        if (remote.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return remote;
        }

        Span<byte> bytes = stackalloc byte[16];
        remote.TryWriteBytes(bytes, out _);
        bytes[8..].Clear();
        return new IPAddress(bytes);
    }
}
