namespace Mixnet.Directory.Server.Registry;

/// <summary>
/// Who holds each <c>host:mix_port</c> (canonical host), and how many identities each host and each caller network has. Maps to the record
/// rather than its 32-byte id: an entry per node is 24 bytes smaller. Only the registry's writer
/// calls it.
/// </summary>
internal sealed class EndpointIndex
{
    private readonly Dictionary<EndpointKey, NodeRecord> _holders = [];
    private readonly Dictionary<string, int> _perHost = new(StringComparer.Ordinal);
    private readonly Dictionary<CallerPrefix, int> _perCaller = [];

    public NodeRecord? Holder(EndpointKey endpoint) => _holders.GetValueOrDefault(endpoint);

    public int OnHost(string host) => _perHost.GetValueOrDefault(host);

    public int FromCaller(CallerPrefix caller) => _perCaller.GetValueOrDefault(caller);

    public void Add(NodeRecord record)
    {
        _holders[record.Endpoint] = record;
        _perHost[record.HostKey] = OnHost(record.HostKey) + 1;
        if (record.Caller.IsKnown)
        {
            _perCaller[record.Caller] = FromCaller(record.Caller) + 1;
        }
    }

    /// <summary>Forgets a record; its endpoint entry only while this record still holds it.</summary>
    public void Remove(NodeRecord record)
    {
        if (_holders.TryGetValue(record.Endpoint, out var holder) && ReferenceEquals(holder, record))
        {
            _holders.Remove(record.Endpoint);
        }

        var count = OnHost(record.HostKey) - 1;
        if (count <= 0)
        {
            _perHost.Remove(record.HostKey);
        }
        else
        {
            _perHost[record.HostKey] = count;
        }

        if (record.Caller.IsKnown)
        {
            var fromCaller = FromCaller(record.Caller) - 1;
            if (fromCaller <= 0)
            {
                _perCaller.Remove(record.Caller);
            }
            else
            {
                _perCaller[record.Caller] = fromCaller;
            }
        }
    }
}
