using System.Text;
using Mixnet.Directory.Validation;

namespace Mixnet.Directory.Fuzz;

/// <summary>A host as UTF-8 text through <see cref="HostRules.TryCanonicalize"/>.</summary>
public static class HostTarget
{
    /// <summary>The target's name on the command line and its corpus folder.</summary>
    public const string Name = "host";

    /// <summary>Runs one input.</summary>
    /// <param name="input">The bytes afl (or the corpus) supplied; invalid UTF-8 becomes U+FFFD, as on the wire.</param>
    public static FuzzOutcome Run(ReadOnlySpan<byte> input)
    {
        var host = Encoding.UTF8.GetString(input);
        if (!HostRules.TryCanonicalize(host, out var canonical, out var error))
        {
            if (error.Field != HostRules.DefaultField || NodeDescriptorRules.IsValidHost(host))
            {
                throw new InvariantViolatedException($"a refusal names {error.Field} or IsValidHost disagrees");
            }

            return FuzzOutcome.Refuse(error.Field);
        }

        CheckCanonical(host);
        return FuzzOutcome.Accept;
    }

    /// <summary>Throws unless an accepted host's canonical form is itself accepted, unchanged, and no longer than the host.</summary>
    /// <param name="host">A host <see cref="HostRules.TryCanonicalize"/> accepted.</param>
    public static void CheckCanonical(string host)
    {
        var canonical = HostRules.Canonicalize(host)
            ?? throw new InvariantViolatedException("an accepted host has no canonical form");
        if (HostRules.Canonicalize(canonical) != canonical)
        {
            throw new InvariantViolatedException($"canonical host '{canonical}' canonicalizes to something else");
        }

        if (canonical.Length > DescriptorLimits.MaxHostLength || !NodeDescriptorRules.IsValidHost(host))
        {
            throw new InvariantViolatedException($"canonical host '{canonical}' breaks the length limit or IsValidHost disagrees");
        }
    }
}
