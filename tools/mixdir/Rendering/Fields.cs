namespace Mixnet.Directory.Cli.Rendering;

/// <summary>Name/value lines, names padded to one column: readable, and easy to grep or cut.</summary>
public sealed class Fields
{
    private readonly List<(string Name, string Value)> _rows = [];

    public Fields Add(string name, string value)
    {
        _rows.Add((name, value));
        return this;
    }

    public void WriteTo(TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        var width = _rows.Count == 0 ? 0 : _rows.Max(r => r.Name.Length) + 2;
        foreach (var (name, value) in _rows)
        {
            writer.WriteLine(name.PadRight(width) + value);
        }

        writer.Flush();
    }
}
