using System.Collections.Concurrent;
using Grpc.Core;

namespace Mixnet.Directory.Tests.Sdk;

/// <summary>A scripted directory: unary and server-streaming handlers by method name, and a log of requests.</summary>
internal sealed class FakeCallInvoker : CallInvoker
{
    private readonly ConcurrentDictionary<string, Func<object, object>> _unary = new();
    private readonly ConcurrentDictionary<string, Func<object, IEnumerable<object>>> _streams = new();

    public ConcurrentQueue<(string Method, object Request)> Calls { get; } = new();

    public void OnUnary<TRequest, TResponse>(string method, Func<TRequest, TResponse> handler)
        where TResponse : notnull => _unary[method] = r => handler((TRequest)r);

    /// <summary>Each call yields the handler's items, then ends, or throws what the sequence throws.</summary>
    public void OnStream<TRequest, TResponse>(string method, Func<TRequest, IEnumerable<TResponse>> handler)
        where TResponse : notnull => _streams[method] = r => handler((TRequest)r).Cast<object>();

    public IReadOnlyList<T> RequestsOf<T>(string method) => Calls.Where(c => c.Method == method).Select(c => (T)c.Request).ToList();

    public override AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request)
    {
        Calls.Enqueue((method.Name, request));
        Task<TResponse> response;
        try
        {
            response = Task.FromResult((TResponse)_unary[method.Name](request));
        }
        catch (Exception ex)
        {
            response = Task.FromException<TResponse>(ex);
        }

        return new AsyncUnaryCall<TResponse>(response, Task.FromResult(new Metadata()), () => Status.DefaultSuccess, () => [], () => { });
    }

    public override AsyncServerStreamingCall<TResponse> AsyncServerStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request)
    {
        Calls.Enqueue((method.Name, request));
        var reader = new Reader<TResponse>(_streams[method.Name](request).Cast<TResponse>().GetEnumerator());
        return new AsyncServerStreamingCall<TResponse>(reader, Task.FromResult(new Metadata()), () => Status.DefaultSuccess, () => [], reader.Dispose);
    }

    public override TResponse BlockingUnaryCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request) =>
        throw new NotSupportedException();

    public override AsyncClientStreamingCall<TRequest, TResponse> AsyncClientStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options) =>
        throw new NotSupportedException();

    public override AsyncDuplexStreamingCall<TRequest, TResponse> AsyncDuplexStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options) =>
        throw new NotSupportedException();

    private sealed class Reader<T>(IEnumerator<T> items) : IAsyncStreamReader<T>
    {
        public T Current { get; private set; } = default!;

        public Task<bool> MoveNext(CancellationToken cancellationToken)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (!items.MoveNext())
            {
                return Task.FromResult(false);
            }

            Current = items.Current;
            return Task.FromResult(true);
        }

        public void Dispose() => items.Dispose();
    }
}
