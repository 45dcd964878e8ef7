namespace Mixnet.Directory.Server.Registry;

/// <summary><c>host:mix_port</c> with the host lower-cased: two live identities may not share one. No string is built per node.</summary>
internal readonly record struct EndpointKey(string Host, uint Port)
{
    public override string ToString() => Host.Contains(':', StringComparison.Ordinal)
        ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"[{Host}]:{Port}")
        : string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{Host}:{Port}");
}
