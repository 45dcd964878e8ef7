namespace Mixnet.Directory.Client;

/// <summary>What a node does in the mixnet.</summary>
public enum NodeRole
{
    /// <summary>A mixnode in one of the layers 1..3.</summary>
    Mixnode = 1,

    /// <summary>A gateway: where clients enter and leave the mixnet.</summary>
    Gateway = 2,
}
