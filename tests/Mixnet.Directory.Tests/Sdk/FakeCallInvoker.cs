using System.Collections.Concurrent;
using Grpc.Core;

namespace Mixnet.Directory.Tests.Sdk;

/// <summary>
/// A scripted directory: unary and server-streaming handlers by method name, and a log of requests.
/// Cancellation behaves as in grpc-dotnet by default: a call whose token fires fails with
/// RpcException(CANCELLED), not OperationCanceledException.
/// </summary>
internal sealed class FakeCallInvoker : CallInvoker
{
    private readonly ConcurrentDictionary<string, Func<object, CancellationToken, Task<object>>> _unary = new();
    private readonly ConcurrentDictionary<string, Func<object, CancellationToken, IAsyncEnumerable<object>>> _streams = new();

    private readonly ConcurrentDictionary<string, TaskCompletionSource> _called = new();

    public ConcurrentQueue<(string Method, object Request)> Calls { get; } = new();

    /// <summary>Completes once the method has been called at least once.</summary>
    public Task WhenCalled(string method) => Called(method).Task;

    public void OnUnary<TRequest, TResponse>(string method, Func<TRequest, TResponse> handler)
        where TResponse : notnull => _unary[method] = (r, _) => Task.FromResult<object>(handler((TRequest)r));

    /// <summary>A unary handler that may wait; it gets the call's cancellation token.</summary>
    public void OnUnaryAsync<TRequest, TResponse>(string method, Func<TRequest, CancellationToken, Task<TResponse>> handler)
        where TResponse : notnull => _unary[method] = async (r, ct) => await handler((TRequest)r, ct);

    /// <summary>Each call yields the handler's items, then ends, or throws what the sequence throws.</summary>
    public void OnStream<TRequest, TResponse>(string method, Func<TRequest, IEnumerable<TResponse>> handler)
        where TResponse : notnull => _streams[method] = (r, _) => handler((TRequest)r).Cast<object>().ToAsyncEnumerable();

    /// <summary>A stream handler that may wait; it gets the call's cancellation token.</summary>
    public void OnStreamAsync<TRequest, TResponse>(string method, Func<TRequest, CancellationToken, IAsyncEnumerable<TResponse>> handler)
        where TResponse : notnull => _streams[method] = (r, ct) => handler((TRequest)r, ct).Select(static x => (object)x);

    public IReadOnlyList<T> RequestsOf<T>(string method) => Calls.Where(c => c.Method == method).Select(c => (T)c.Request).ToList();

    /// <summary>Waits until the token fires; for calls that never answer.</summary>
    public static async Task<T> Never<T>(CancellationToken cancellationToken)
    {
        await Task.Delay(Timeout.Infinite, cancellationToken);
        throw new InvalidOperationException("unreachable");
    }

    public override AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request)
    {
        Record(method.Name, request);
        var response = Respond<TResponse>(method.Name, request, options.CancellationToken);
        return new AsyncUnaryCall<TResponse>(response, Task.FromResult(new Metadata()), () => Status.DefaultSuccess, () => [], () => { });
    }

    public override AsyncServerStreamingCall<TResponse> AsyncServerStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request)
    {
        Record(method.Name, request);
        var reader = new Reader<TResponse>(_streams[method.Name](request, options.CancellationToken).GetAsyncEnumerator(options.CancellationToken), options.CancellationToken);
        return new AsyncServerStreamingCall<TResponse>(reader, Task.FromResult(new Metadata()), () => Status.DefaultSuccess, () => [], reader.Dispose);
    }

    public override TResponse BlockingUnaryCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request) =>
        throw new NotSupportedException();

    public override AsyncClientStreamingCall<TRequest, TResponse> AsyncClientStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options) =>
        throw new NotSupportedException();

    public override AsyncDuplexStreamingCall<TRequest, TResponse> AsyncDuplexStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options) =>
        throw new NotSupportedException();

    private TaskCompletionSource Called(string method) =>
        _called.GetOrAdd(method, static _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));

    private void Record(string method, object request)
    {
        Calls.Enqueue((method, request));
        Called(method).TrySetResult();
    }

    private static RpcException Cancelled(Exception inner) => new(new Status(StatusCode.Cancelled, "Call canceled by the client.", inner));

    private async Task<TResponse> Respond<TResponse>(string method, object request, CancellationToken callToken)
    {
        try
        {
            return (TResponse)await _unary[method](request, callToken);
        }
        catch (OperationCanceledException ex) when (callToken.IsCancellationRequested)
        {
            throw Cancelled(ex);
        }
    }

    private sealed class Reader<T>(IAsyncEnumerator<object> items, CancellationToken callToken) : IAsyncStreamReader<T>
    {
        public T Current { get; private set; } = default!;

        public async Task<bool> MoveNext(CancellationToken cancellationToken)
        {
            try
            {
                cancellationToken.ThrowIfCancellationRequested();
                callToken.ThrowIfCancellationRequested();
                using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, callToken);
                var next = items.MoveNextAsync().AsTask();
                if (!await next.WaitAsync(linked.Token))
                {
                    return false;
                }
            }
            catch (OperationCanceledException ex) when (cancellationToken.IsCancellationRequested || callToken.IsCancellationRequested)
            {
                throw Cancelled(ex);
            }

            Current = (T)items.Current;
            return true;
        }

        public void Dispose()
        {
            try
            {
                _ = items.DisposeAsync().AsTask();
            }
            catch (NotSupportedException)
            {
                // A move is still pending; the handler ends with the call's token.
            }
        }
    }
}
