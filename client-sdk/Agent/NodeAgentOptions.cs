using Grpc.Core.Interceptors;
using Grpc.Net.Client;

namespace Mixnet.Directory.Client;

/// <summary>How a node announces itself and where. The descriptor fields follow DESIGN.md §2.</summary>
public sealed class NodeAgentOptions
{
    /// <summary>The directory's gRPC address, for example <c>http://directory.example:5000</c>.</summary>
    public Uri? DirectoryAddress { get; set; }

    /// <summary>
    /// Further directories (authorities) to announce the node to; the agent uses the union of this
    /// list and <see cref="DirectoryAddress"/>, without duplicates. Each directory gets its own
    /// registration, heartbeats, backoff and metrics reports, so a slow or dead one delays none of
    /// the others. Binds from <c>DirectoryAddresses:&lt;n&gt;</c>.
    /// </summary>
    public IList<Uri> DirectoryAddresses { get; } = new List<Uri>();

    /// <summary>Every directory to announce to: <see cref="DirectoryAddress"/> first, then <see cref="DirectoryAddresses"/>, without duplicates.</summary>
    internal IReadOnlyList<Uri> AllDirectoryAddresses
    {
        get
        {
            var all = new List<Uri>();
            foreach (var address in DirectoryAddresses.Prepend(DirectoryAddress))
            {
                if (address is not null && !all.Contains(address))
                {
                    all.Add(address);
                }
            }

            return all;
        }
    }

    /// <summary>Mixnode or gateway.</summary>
    public NodeRole Role { get; set; } = NodeRole.Mixnode;

    /// <summary>
    /// The mixnode's layer, 1..3; required for a mixnode. A gateway's layer is 0, so leave it unset
    /// (null) for a gateway or set it to 0.
    /// </summary>
    public int? Layer { get; set; }

    /// <summary>The layer the descriptor carries: <see cref="Layer"/>, or 0 for a gateway without one (-1 for a mixnode without one, which validation refuses).</summary>
    internal int EffectiveLayer => Layer ?? (Role == NodeRole.Gateway ? 0 : -1);

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

    /// <summary>How long <see cref="NodeAgent.StopAsync"/> waits for the directories (all at once) to confirm the deregistration.</summary>
    public TimeSpan DeregisterTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Whether packet counts are reported to the directory's metrics service.</summary>
    public bool ReportMetrics { get; set; } = true;

    /// <summary>
    /// The wait between registering and the first metrics report, before the directory has said how
    /// often to report (<c>next_report_in</c>, which sets the pace from then on). Defaults to the
    /// directory's default metrics window (1 s), so the first report does not pile several windows of
    /// packets into one.
    /// </summary>
    public TimeSpan FirstMetricsReportDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Decides whether to trust the directory's TLS certificate on <c>https://</c> addresses, for a
    /// directory behind a private CA or a pinned self-signed certificate. Null uses the system's trust store.
    /// </summary>
    public System.Net.Security.RemoteCertificateValidationCallback? ServerCertificateValidation { get; set; }

    /// <summary>
    /// Changes the settings of the channel the agent creates (HTTP handler, credentials, message
    /// sizes, and so on), after the SDK has set its own. Not bound from configuration.
    /// </summary>
    public Action<GrpcChannelOptions>? ConfigureChannel { get; set; }

    /// <summary>Interceptors every call to the directory goes through; the first in the list sees a call first. Not bound from configuration.</summary>
    public IList<Interceptor> Interceptors { get; } = new List<Interceptor>();
}
