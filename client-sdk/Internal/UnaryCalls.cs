using Grpc.Core;

namespace Mixnet.Directory.Client.Internal;

/// <summary>
/// One unary call with a timeout on the caller's <see cref="TimeProvider"/>, shared by the agent and the client.
/// Errors come out the way grpc-dotnet users expect: the caller's cancellation as
/// <see cref="OperationCanceledException"/>, the timeout as <c>DEADLINE_EXCEEDED</c>, whatever the channel's
/// <c>ThrowOperationCanceledOnCancellation</c> setting.
/// </summary>
internal static class UnaryCalls
{
    public static async Task<T> CallAsync<T>(Func<CallOptions, AsyncUnaryCall<T>> start, TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        using var deadline = new CancellationTokenSource(timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        try
        {
            using var call = start(new CallOptions(cancellationToken: linked.Token));
            return await call.ResponseAsync.ConfigureAwait(false);
        }
        catch (Exception ex) when (IsCancellation(ex) && cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException("The call was cancelled.", ex, cancellationToken);
        }
        catch (Exception ex) when (IsCancellation(ex) && deadline.IsCancellationRequested)
        {
            throw new RpcException(new Status(StatusCode.DeadlineExceeded, $"The directory did not answer within {timeout}.", ex));
        }
    }

    /// <summary>What a cancelled call throws: <c>CANCELLED</c> by default, an <see cref="OperationCanceledException"/> when the channel says so.</summary>
    public static bool IsCancellation(Exception ex) =>
        ex is OperationCanceledException || (ex is RpcException rpc && rpc.StatusCode == StatusCode.Cancelled);
}
