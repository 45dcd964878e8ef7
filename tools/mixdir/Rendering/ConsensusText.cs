using System.Globalization;
using Mixnet.Directory.Cli.Consensus;
using Mixnet.Directory.Signing;

namespace Mixnet.Directory.Cli.Rendering;

/// <summary><c>mixdir consensus</c> for people: the document's times and counts, who signed, what each authority said, the verdict.</summary>
public static class ConsensusText
{
    /// <summary>verified, failed, unverified (--no-verify) or none (no authority served a consensus).</summary>
    public static string Verdict(ConsensusReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return report.Shown?.Check switch
        {
            null => "none",
            { Verified: true } => "verified",
            _ when !report.Trust.Verify => "unverified",
            _ => "failed",
        };
    }

    public static void Write(TextWriter writer, ConsensusReport report)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(report);
        var invariant = CultureInfo.InvariantCulture;
        if (report.Shown?.Check is { } check)
        {
            var document = check.Document;
            var fields = new Fields()
                .Add("epoch", document is null ? "(the signed bytes are not a consensus document)" : document.Epoch.ToString(invariant));
            if (document is not null)
            {
                fields.Add("valid after", document.ValidAfter is null ? "-" : Format.Time(document.ValidAfter.ToDateTimeOffset()))
                    .Add("fresh until", document.FreshUntil is null ? "-" : Format.Time(document.FreshUntil.ToDateTimeOffset()))
                    .Add("valid until", document.ValidUntil is null ? "-" : Format.Time(document.ValidUntil.ToDateTimeOffset()));
            }

            if (check.Nodes is { } nodes)
            {
                var layers = string.Join(", ", nodes.Layers.Select((n, i) => $"layer {i + 1}: {n}"));
                var unreadable = nodes.Unreadable > 0 ? $", {nodes.Unreadable} unreadable" : "";
                fields.Add("nodes", $"{nodes.Total}: {nodes.Mixnodes} mixnodes ({layers}), {nodes.Gateways} gateways{unreadable}");
            }

            fields.Add("from", report.Shown.Address)
                .Add("signatures", report.Trust.SortedKeys.Length == 0
                    ? "not checked (no pinned keys)"
                    : $"{check.ValidSignatures} of {report.Trust.SortedKeys.Length} pinned keys signed; {report.Trust.Threshold} required");
            foreach (var signer in check.Signers)
            {
                fields.Add("  " + KeyFingerprint.Abbreviate(signer.Key), Describe(signer));
            }

            fields.WriteTo(writer);
        }

        writer.WriteLine();
        writer.WriteLine("authorities");
        var authorities = new Fields();
        foreach (var answer in report.Answers)
        {
            authorities.Add("  " + answer.Address, answer.Check is { } c
                ? $"epoch {c.Epoch}, {c.ValidSignatures} valid pinned signatures{(report.Trust.Verify ? c.Verified ? ", verifies" : ", does not verify" : "")}"
                : answer.Error ?? "");
        }

        authorities.WriteTo(writer);
        writer.WriteLine();
        writer.WriteLine(Verdict(report) switch
        {
            "verified" => "verification  OK: signed by enough pinned authorities, node signatures and epoch window valid",
            "unverified" => "verification  UNVERIFIED (--no-verify): nothing above is proven to come from the authorities",
            "none" => "verification  FAILED: no authority served a consensus",
            _ => "verification  FAILED: " + (report.Shown?.Check?.Failure ?? "does not verify"),
        });
        writer.Flush();
    }

    private static string Describe(SignerStatus signer) => signer.State switch
    {
        SignerStatus.SignedState => "signed",
        SignerStatus.MissingState => "did not sign (pinned)",
        SignerStatus.InvalidState => "BAD SIGNATURE (pinned; not counted)",
        _ => "signed, but not pinned (not counted)",
    };
}
