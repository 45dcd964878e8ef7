using Mixnet.Directory.Signing;
using Mixnet.Directory.V1;
using Spectre.Console;

namespace Mixnet.Directory.Cli.Rendering;

/// <summary>Bans for people: the line <c>admin ban</c> prints, and the table of <c>admin bans</c>.</summary>
public static class BanText
{
    /// <summary><c>banned &lt;short id&gt; (&lt;reason&gt;) by &lt;token name&gt;</c>.</summary>
    public static string Banned(ReadOnlySpan<byte> identityKey, Ban ban)
    {
        ArgumentNullException.ThrowIfNull(ban);
        return $"banned {KeyFingerprint.Abbreviate(identityKey)} ({Reason(ban)}) by {By(ban)}";
    }

    /// <summary>One row per ban: short id, reason, when, by which admin token.</summary>
    public static Table Table(IEnumerable<Ban> bans)
    {
        ArgumentNullException.ThrowIfNull(bans);
        var table = new Table()
            .Border(TableBorder.Simple)
            .AddColumn("id")
            .AddColumn("reason")
            .AddColumn("banned at")
            .AddColumn("banned by");
        foreach (var ban in bans)
        {
            table.AddRow(
                KeyFingerprint.Abbreviate(ban.IdentityKey.Span),
                Markup.Escape(Reason(ban)),
                ban.BannedAt is null ? "-" : Format.Time(ban.BannedAt.ToDateTimeOffset()),
                Markup.Escape(By(ban)));
        }

        return table;
    }

    private static string Reason(Ban ban) => ban.Reason.Length == 0 ? "no reason given" : ban.Reason;

    private static string By(Ban ban) => ban.BannedBy.Length == 0 ? "?" : ban.BannedBy;
}
