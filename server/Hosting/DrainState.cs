namespace Mixnet.Directory.Server.Hosting;

/// <summary>Whether shutdown has begun draining; health reports NOT_SERVING from then on.</summary>
internal sealed class DrainState
{
    private volatile bool _draining;

    public bool IsDraining => _draining;

    public void Begin() => _draining = true;
}
