using Google.Protobuf;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.Extensions.DependencyInjection;
using Mixnet.Directory.Client;
using Mixnet.Directory.Tests.Infrastructure;
using Mixnet.Directory.V1;

namespace Mixnet.Directory.Tests.Sdk;

/// <summary>Callers can shape the channel and put interceptors in front of every call, as with any grpc-dotnet client.</summary>
public sealed class ChannelHookTests
{
    private static readonly Uri Nowhere = new("http://127.0.0.1:1");

    [Test]
    public async Task DirectoryClient_Interceptors_SeeEveryCallInOrder()
    {
        var seen = new List<string>();
        var options = new DirectoryClientOptions { Address = Nowhere };
        options.Interceptors.Add(new Recording("outer", seen));
        options.Interceptors.Add(new Answering(seen, new GetDirectoryInfoResponse { DirectoryKey = ByteString.CopyFrom(new byte[32]), ServerVersion = "intercepted" }));
        await using var client = new DirectoryClient(options);

        var info = await client.GetDirectoryInfoAsync().Within();

        Assert.That(info.ServerVersion, Is.EqualTo("intercepted"));
        Assert.That(seen, Is.EqualTo(new[] { "outer:GetDirectoryInfo", "answer:GetDirectoryInfo" }));
    }

    [Test]
    public async Task DirectoryClientBuilder_ConfigureChannel_UsesTheCallersHandler()
    {
        var handler = new RefusingHandler();
        var services = new ServiceCollection().AddLogging();
        services.AddDirectoryClient(o => o.Address = Nowhere).ConfigureChannel(o => o.HttpHandler = handler).Configure(o => o.MaxRetryAttempts = 2);
        await using var provider = services.BuildServiceProvider();

        Assert.CatchAsync<RpcException>(() => provider.GetRequiredService<DirectoryClient>().GetDirectoryInfoAsync().Within());
        Assert.That(handler.Requests, Is.GreaterThan(0), "the call went through the handler the caller configured");
    }

    [Test]
    public async Task NodeAgent_Interceptor_CarriesTheRegistration()
    {
        using var identity = NodeIdentity.Generate();
        var seen = new List<string>();
        var options = AgentHarness.MixnodeOptions();
        options.DirectoryAddress = Nowhere;
        options.ReportMetrics = false;
        options.Interceptors.Add(new Answering(seen, AgentHarness.Registered()));
        await using var agent = new NodeAgent(identity, options);

        await agent.StartAsync().Within();
        await agent.WaitUntilRegisteredAsync().Within();

        Assert.That(seen, Does.Contain("answer:RegisterNode"));
        Assert.That(agent.Lease!.HeartbeatInterval, Is.EqualTo(AgentHarness.HeartbeatInterval));
    }

    private sealed class Recording(string name, List<string> seen) : Interceptor
    {
        public override AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(TRequest request, ClientInterceptorContext<TRequest, TResponse> context, AsyncUnaryCallContinuation<TRequest, TResponse> continuation)
        {
            lock (seen)
            {
                seen.Add($"{name}:{context.Method.Name}");
            }

            return continuation(request, context);
        }
    }

    /// <summary>Answers one method itself; lets the rest (heartbeats, deregistration) fail as a missing directory would.</summary>
    private sealed class Answering(List<string> seen, IMessage answer) : Interceptor
    {
        public override AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(TRequest request, ClientInterceptorContext<TRequest, TResponse> context, AsyncUnaryCallContinuation<TRequest, TResponse> continuation)
        {
            lock (seen)
            {
                seen.Add($"answer:{context.Method.Name}");
            }

            var response = answer is TResponse typed
                ? Task.FromResult(typed)
                : Task.FromException<TResponse>(new RpcException(new Status(StatusCode.Unavailable, "not scripted")));
            return new AsyncUnaryCall<TResponse>(response, Task.FromResult(new Metadata()), () => Status.DefaultSuccess, () => [], () => { });
        }
    }

    private sealed class RefusingHandler : HttpMessageHandler
    {
        private int _requests;

        public int Requests => Volatile.Read(ref _requests);

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _requests);
            return Task.FromResult(new HttpResponseMessage(System.Net.HttpStatusCode.ServiceUnavailable) { Version = request.Version });
        }
    }
}
