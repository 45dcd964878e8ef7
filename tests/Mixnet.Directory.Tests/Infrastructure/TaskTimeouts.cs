namespace Mixnet.Directory.Tests.Infrastructure;

/// <summary>Every await in a test has a bound, so a hang fails fast instead of stalling CI.</summary>
public static class TaskTimeouts
{
    public static readonly TimeSpan Default = TimeSpan.FromSeconds(15);

    public static Task<T> Within<T>(this Task<T> task, TimeSpan? timeout = null) => task.WaitAsync(timeout ?? Default);

    public static Task Within(this Task task, TimeSpan? timeout = null) => task.WaitAsync(timeout ?? Default);

    public static CancellationTokenSource Cancel(TimeSpan? timeout = null) => new(timeout ?? Default);
}
