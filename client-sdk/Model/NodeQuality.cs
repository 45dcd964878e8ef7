namespace Mixnet.Directory.Client;

/// <summary>
/// The directory's quality-of-service judgement of a node, carried in the signed topology and
/// updated at most once per quality period.
/// </summary>
/// <param name="Reliability">0..1 over the directory's quality window (1 h by default): the share of packets the node forwards times the share of its link traffic its peers confirm, absent periods counting 0.</param>
/// <param name="Reliability24h">The same over 24 hours.</param>
/// <param name="Uptime">0..1: the share of quality periods in the window the node was listed.</param>
/// <param name="Excluded">True when too many of its peers disputed its links in the last period; <see cref="DirectoryClient.SelectRoute(Topology, Random?)"/> never picks it.</param>
public sealed record NodeQuality(double Reliability, double Reliability24h, double Uptime, bool Excluded);
