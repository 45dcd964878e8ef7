using Mixnet.Directory.Bench.Infrastructure;

namespace Mixnet.Directory.Bench.Load;

/// <summary>Samples a process's RSS every 100 ms and keeps the largest, where VmHWM cannot be reset.</summary>
internal sealed class RssSampler : IDisposable
{
    private readonly Timer _timer;
    private long _peak;

    public RssSampler(int pid)
    {
        _peak = ProcStatus.ResidentBytes(pid);
        _timer = new Timer(_ => Sample(pid), null, 100, 100);
    }

    public long Peak => Interlocked.Read(ref _peak);

    public void Dispose() => _timer.Dispose();

    private void Sample(int pid)
    {
        var rss = ProcStatus.ResidentBytes(pid);
        long seen;
        while (rss > (seen = Interlocked.Read(ref _peak)) && Interlocked.CompareExchange(ref _peak, rss, seen) != seen)
        {
        }
    }
}
