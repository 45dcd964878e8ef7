using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Mixnet.Directory.Cli.Infrastructure;
using Mixnet.Directory.Client;
using Mixnet.Directory.V1;
using Mixnet.Directory.Validation;
using NodeRole = Mixnet.Directory.V1.NodeRole;

namespace Mixnet.Directory.Cli.Nodes;

/// <summary>
/// Turns the descriptor options and an identity file into a signed <see cref="RegisterNodeRequest"/>,
/// checking the fields with the directory's own rules first so a mistake names the option.
/// </summary>
public static class DescriptorBuilder
{
    /// <summary>The option each descriptor field comes from, for error messages.</summary>
    private static readonly Dictionary<string, string> Options = new(StringComparer.Ordinal)
    {
        ["role"] = "--role",
        ["layer"] = "--layer",
        ["host"] = "--host",
        ["mix_port"] = "--mix-port",
        ["client_port"] = "--client-port",
        ["version"] = "--node-version",
        ["location"] = "--location",
    };

    /// <summary>What is wrong with the options on their own (before the identity file is read), or null.</summary>
    public static string? Check(IDescriptorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (ParseRole(options.Role) is null)
        {
            return $"--role: '{options.Role}' is not a role; use mixnode or gateway.";
        }

        if (string.IsNullOrWhiteSpace(options.Host))
        {
            return "--host: required: the host other nodes reach this node at.";
        }

        if (options.MixPort is null)
        {
            return "--mix-port: required: the port other nodes send packets to.";
        }

        if (string.IsNullOrWhiteSpace(options.NodeVersion))
        {
            return "--node-version: required: the node software's semantic version, e.g. 1.2.3.";
        }

        // Every other rule is the directory's own, checked on a descriptor with placeholder keys.
        return Explain(NodeDescriptorRules.Validate(Describe(options, new byte[32], new byte[32], DateTimeOffset.UtcNow)));
    }

    /// <summary>Loads the identity file named by the options.</summary>
    /// <exception cref="BadInputException">The file cannot be read or is not an identity file.</exception>
    public static NodeIdentity LoadIdentity(string path)
    {
        try
        {
            return NodeIdentity.Load(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            throw new BadInputException($"--identity: cannot load '{path}' ({ex.Message.TrimEnd('.')}); create one with 'mixdir keygen --out {path}'.", ex);
        }
    }

    /// <summary>The descriptor for <paramref name="identity"/>, signed now.</summary>
    public static RegisterNodeRequest Sign(IDescriptorOptions options, NodeIdentity identity, DateTimeOffset signedAt)
    {
        ArgumentNullException.ThrowIfNull(identity);
        var descriptor = Describe(options, identity.IdentityKey.ToArray(), identity.SphinxKey.ToArray(), signedAt);
        var bytes = descriptor.ToByteArray();
        var signature = identity.SignDescriptorBytes(bytes);
        return new RegisterNodeRequest { Descriptor_ = ByteString.CopyFrom(bytes), Signature = ByteString.CopyFrom(signature) };
    }

    private static NodeDescriptor Describe(IDescriptorOptions options, byte[] identityKey, byte[] sphinxKey, DateTimeOffset signedAt)
    {
        var role = ParseRole(options.Role) ?? NodeRole.Unspecified;
        return new NodeDescriptor
        {
            IdentityKey = ByteString.CopyFrom(identityKey),
            SphinxKey = ByteString.CopyFrom(sphinxKey),
            Role = role,
            Layer = (uint)Math.Max(0, options.Layer ?? (role == NodeRole.Gateway ? 0 : 1)),
            Host = options.Host?.Trim() ?? "",
            MixPort = (uint)Math.Max(0, options.MixPort ?? 0),
            ClientPort = (uint)Math.Max(0, options.ClientPort ?? 0),
            Version = options.NodeVersion?.Trim() ?? "",
            Location = options.Location,
            SignedAt = Timestamp.FromDateTimeOffset(signedAt),
        };
    }

    private static NodeRole? ParseRole(string role) => role.Trim().ToLowerInvariant() switch
    {
        "mixnode" => NodeRole.Mixnode,
        "gateway" => NodeRole.Gateway,
        _ => null,
    };

    private static string? Explain(FieldError? error)
    {
        if (error is null)
        {
            return null;
        }

        var field = error.Field.Replace("descriptor.", "", StringComparison.Ordinal);
        return Options.TryGetValue(field, out var option) ? $"{option}: {error.Reason}." : $"{error.Field}: {error.Reason}.";
    }
}
