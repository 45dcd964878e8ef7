namespace Mixnet.Directory.Cli.Rendering;

/// <summary>How a command prints its result.</summary>
public enum OutputFormat
{
    /// <summary>Tables and name/value lines, for people.</summary>
    Table,

    /// <summary>JSON: one document, or one object per line for a live command.</summary>
    Json,
}
