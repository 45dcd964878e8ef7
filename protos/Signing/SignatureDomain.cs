namespace Mixnet.Directory.Signing;

/// <summary>
/// The domain-separation prefixes of DESIGN.md §2. A signature is Ed25519 over
/// <c>prefix || payload</c>, where the payload is the exact serialized bytes that travel.
/// </summary>
public enum SignatureDomain
{
    /// <summary>A node descriptor, signed by the node's identity key.</summary>
    NodeDescriptor,

    /// <summary>A topology snapshot, signed by the directory.</summary>
    Topology,

    /// <summary>A topology delta, signed by the directory.</summary>
    TopologyDelta,

    /// <summary>A consensus document, signed by each directory authority.</summary>
    Consensus,

    /// <summary>A directory authority's vote, signed by that authority.</summary>
    Vote,

    /// <summary>A request between directory authorities that carries no signed payload of its own.</summary>
    AuthorityCall,
}
