namespace Mixnet.Directory.Server.Metrics;

/// <summary>
/// The arrays of retired metrics frames, handed to the next frames. A frame's node array and
/// serialized bytes live as long as the replay keeps them (a minute or more), so fresh arrays
/// every window would each survive into gen2 (the large ones straight onto the large object
/// heap) and die there, costing full collections and fragmentation. With the replay full, a
/// window close retires one frame and makes one: the pool holds a handful, not a second replay.
/// </summary>
internal sealed class FrameBufferPool
{
    /// <summary>Idle arrays kept per kind; a retired array beyond this goes to the GC.</summary>
    private const int MaxIdle = 4;

    private readonly Lock _gate = new();
    private readonly Stack<NodeTraffic[]> _nodes = new();
    private readonly Stack<byte[]> _bytes = new();

    public NodeTraffic[] RentNodes(int minimumLength) => Rent(_nodes, minimumLength, static n => new NodeTraffic[n]);

    public byte[] RentBytes(int minimumLength) => Rent(_bytes, minimumLength, static n => GC.AllocateUninitializedArray<byte>(n));

    public void Return(NodeTraffic[] array) => Return(_nodes, array);

    public void Return(byte[] array) => Return(_bytes, array);

    private T[] Rent<T>(Stack<T[]> idle, int minimumLength, Func<int, T[]> allocate)
    {
        lock (_gate)
        {
            while (idle.TryPop(out var array))
            {
                if (array.Length >= minimumLength)
                {
                    return array;
                }

                // Too small for the grown network: let it go rather than keep arrays that never fit.
            }
        }

        // A little headroom, so a network that grows by a few nodes does not replace every array.
        return allocate(minimumLength + (minimumLength / 64) + 16);
    }

    private void Return<T>(Stack<T[]> idle, T[] array)
    {
        if (array.Length == 0)
        {
            return;
        }

        lock (_gate)
        {
            if (idle.Count < MaxIdle)
            {
                idle.Push(array);
            }
        }
    }
}
