namespace Mixnet.Directory.Cli.Nodes;

/// <summary>The command-line options that make a node descriptor, shared by <c>node register</c> and <c>descriptor sign</c>.</summary>
public interface IDescriptorOptions
{
    /// <summary>The identity file <c>mixdir keygen</c> wrote.</summary>
    string IdentityPath { get; }

    /// <summary>mixnode or gateway.</summary>
    string Role { get; }

    /// <summary>1..3 for a mixnode; 0 (or absent) for a gateway.</summary>
    int? Layer { get; }

    /// <summary>The host other nodes reach the node at.</summary>
    string? Host { get; }

    /// <summary>The port other nodes send packets to.</summary>
    int? MixPort { get; }

    /// <summary>The port clients connect to (gateways only).</summary>
    int? ClientPort { get; }

    /// <summary>The node software's semantic version.</summary>
    string? NodeVersion { get; }

    /// <summary>Free-form location, e.g. "Berlin, DE".</summary>
    string Location { get; }
}
