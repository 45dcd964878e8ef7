using System.ComponentModel;
using Mixnet.Directory.Signing;
using Spectre.Console.Cli;

namespace Mixnet.Directory.Cli.Commands;

/// <summary>Options of <c>mixdir node heartbeat</c> and <c>node deregister</c>: the identity file and the lease token.</summary>
public sealed class NodeLeaseSettings : NodeIdentitySettings
{
    /// <summary>The environment variable that holds the lease token when --lease is not given.</summary>
    public const string LeaseVariable = "MIXDIR_LEASE_TOKEN";

    [CommandOption("--lease <TOKEN>")]
    [Description("The lease token 'node register' printed (64 hex digits or base64; default: $MIXDIR_LEASE_TOKEN).")]
    public string? Lease { get; init; }

    /// <summary>The lease token from --lease or the environment; null with <paramref name="problem"/> set when there is none or it is malformed.</summary>
    public byte[]? ResolveLease(Func<string, string?> environment, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var (text, source) = string.IsNullOrWhiteSpace(Lease) ? (environment(LeaseVariable), LeaseVariable) : (Lease, "--lease");
        if (string.IsNullOrWhiteSpace(text))
        {
            problem = $"the lease token is needed: pass --lease <TOKEN> (from 'mixdir node register') or set {LeaseVariable}.";
            return null;
        }

        // A lease token is 32 random bytes, the same shape as a key.
        if (!KeyFingerprint.TryParse(text.Trim(), out var token))
        {
            problem = $"{source}: not a 32-byte lease token in hex (64 digits) or base64.";
            return null;
        }

        problem = null;
        return token;
    }
}
