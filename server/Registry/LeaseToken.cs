using System.Runtime.CompilerServices;

namespace Mixnet.Directory.Server.Registry;

/// <summary>A 32-byte lease token held inline in its record, so a lease costs no extra object.</summary>
[InlineArray(32)]
internal struct LeaseToken
{
    private byte _first;
}
