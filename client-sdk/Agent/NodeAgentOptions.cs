namespace Mixnet.Directory.Client;

/// <summary>How a node announces itself and where. The descriptor fields follow DESIGN.md §2.</summary>
public sealed class NodeAgentOptions
{
    /// <summary>The directory's gRPC address, for example <c>http://directory.example:5000</c>.</summary>
    public Uri? DirectoryAddress { get; set; }

    /// <summary>Mixnode or gateway.</summary>
    public NodeRole Role { get; set; } = NodeRole.Mixnode;

    /// <summary>1..3 for a mixnode, 0 for a gateway.</summary>
    public int Layer { get; set; } = 1;

    /// <summary>The IP literal or DNS name other nodes reach this node at.</summary>
    public string Host { get; set; } = "";

    /// <summary>The port other nodes send packets to.</summary>
    public int MixPort { get; set; }

    /// <summary>The port clients connect to: gateways only, 0 for mixnodes.</summary>
    public int ClientPort { get; set; }

    /// <summary>The node software's semantic version.</summary>
    public string Version { get; set; } = "0.1.0";

    /// <summary>Free printable text, for example a country.</summary>
    public string Location { get; set; } = "";

    /// <summary>Where the identity is kept (used by <c>AddNodeAgent</c>); created with owner-only permissions on first run.</summary>
    public string? IdentityPath { get; set; }

    /// <summary>The first wait after a failed call; the wait doubles per failure up to <see cref="MaxBackoff"/>.</summary>
    public TimeSpan MinBackoff { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>The longest wait between attempts while the directory cannot be reached.</summary>
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long one call may take before it counts as failed.</summary>
    public TimeSpan CallTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long <see cref="NodeAgent.StopAsync"/> waits for the directory to confirm the deregistration.</summary>
    public TimeSpan DeregisterTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Whether packet counts are reported to the directory's metrics service.</summary>
    public bool ReportMetrics { get; set; } = true;

    /// <summary>
    /// Decides whether to trust the directory's TLS certificate on <c>https://</c> addresses, for a
    /// directory behind a private CA or a pinned self-signed certificate. Null uses the system's trust store.
    /// </summary>
    public System.Net.Security.RemoteCertificateValidationCallback? ServerCertificateValidation { get; set; }
}
