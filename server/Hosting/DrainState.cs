namespace Mixnet.Directory.Server.Hosting;

/// <summary>Whether shutdown has begun draining; health reports NOT_SERVING from then on.</summary>
internal sealed class DrainState
{
    private readonly TaskCompletionSource _draining = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public bool IsDraining => _draining.Task.IsCompleted;

    /// <summary>Completes when draining starts.</summary>
    public Task Draining => _draining.Task;

    public void Begin() => _draining.TrySetResult();
}
