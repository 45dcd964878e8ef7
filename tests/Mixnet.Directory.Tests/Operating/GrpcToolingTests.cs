using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Reflection.V1Alpha;
using Mixnet.Directory.Tests.Infrastructure;

namespace Mixnet.Directory.Tests.Operating;

/// <summary>What grpcurl and health probes see: reflection and per-service health.</summary>
[TestFixture]
public sealed class GrpcToolingTests
{
    private static readonly string[] DirectoryServices =
    [
        "mixnet.directory.v1.RegistryService",
        "mixnet.directory.v1.PresenceService",
        "mixnet.directory.v1.TopologyService",
        "mixnet.directory.v1.MetricsService",
    ];

    [Test]
    public async Task Reflection_ListsEveryService_AndDescribesMetricsService()
    {
        await using var server = await DirectoryServerHost.StartAsync(new Dictionary<string, string?> { ["Directory:AdminTokens:ops"] = "0123456789abcdef0123" });
        var client = new ServerReflection.ServerReflectionClient(server.Channel);
        using var call = client.ServerReflectionInfo(cancellationToken: TaskTimeouts.Cancel().Token);

        await call.RequestStream.WriteAsync(new ServerReflectionRequest { ListServices = string.Empty }).Within();
        Assert.That(await call.ResponseStream.MoveNext().Within(), Is.True);
        var listed = call.ResponseStream.Current.ListServicesResponse.Service.Select(s => s.Name).ToList();
        Assert.That(listed, Is.SupersetOf(DirectoryServices.Append("mixnet.directory.v1.AdminService").Append("grpc.health.v1.Health")));

        // MetricsService is bound by a hand-written provider; its file must still resolve, methods included.
        await call.RequestStream.WriteAsync(new ServerReflectionRequest { FileContainingSymbol = "mixnet.directory.v1.MetricsService" }).Within();
        Assert.That(await call.ResponseStream.MoveNext().Within(), Is.True);
        var files = call.ResponseStream.Current.FileDescriptorResponse.FileDescriptorProto
            .Select(b => Google.Protobuf.Reflection.FileDescriptorProto.Parser.ParseFrom(b)).ToList();
        var metrics = files.SelectMany(f => f.Service).Single(s => s.Name == "MetricsService");
        Assert.That(metrics.Method.Select(m => m.Name), Is.EquivalentTo(new[] { "ReportMetrics", "StreamMetrics" }));
        await call.RequestStream.CompleteAsync().Within();
        server.DeleteData();
    }

    [Test]
    public async Task Reflection_WithoutAdminTokens_DoesNotListAdminService()
    {
        await using var server = await DirectoryServerHost.StartAsync();
        var client = new ServerReflection.ServerReflectionClient(server.Channel);
        using var call = client.ServerReflectionInfo(cancellationToken: TaskTimeouts.Cancel().Token);
        await call.RequestStream.WriteAsync(new ServerReflectionRequest { ListServices = string.Empty }).Within();
        Assert.That(await call.ResponseStream.MoveNext().Within(), Is.True);
        var listed = call.ResponseStream.Current.ListServicesResponse.Service.Select(s => s.Name).ToList();
        Assert.That(listed, Is.SupersetOf(DirectoryServices));
        Assert.That(listed, Does.Not.Contain("mixnet.directory.v1.AdminService"));
        await call.RequestStream.CompleteAsync().Within();
        server.DeleteData();
    }

    [Test]
    public async Task Health_AnswersServingForEveryServiceName_AndForTheServer()
    {
        await using var server = await DirectoryServerHost.StartAsync(new Dictionary<string, string?> { ["Directory:AdminTokens:ops"] = "0123456789abcdef0123" });
        var health = new Health.HealthClient(server.Channel);

        foreach (var name in DirectoryServices.Append("mixnet.directory.v1.AdminService").Prepend(string.Empty))
        {
            var reply = await health.CheckAsync(new HealthCheckRequest { Service = name }).ResponseAsync.Within();
            Assert.That(reply.Status, Is.EqualTo(HealthCheckResponse.Types.ServingStatus.Serving), $"service \"{name}\"");
        }

        var unknown = Assert.ThrowsAsync<RpcException>(() => health.CheckAsync(new HealthCheckRequest { Service = "mixnet.directory.v1.NoSuchService" }).ResponseAsync.Within());
        Assert.That(unknown!.StatusCode, Is.EqualTo(StatusCode.NotFound));
        server.DeleteData();
    }

    [Test]
    public async Task Health_WithoutAdminTokens_AdminServiceIsNotFound()
    {
        await using var server = await DirectoryServerHost.StartAsync();
        var health = new Health.HealthClient(server.Channel);
        var reply = await health.CheckAsync(new HealthCheckRequest { Service = "mixnet.directory.v1.TopologyService" }).ResponseAsync.Within();
        Assert.That(reply.Status, Is.EqualTo(HealthCheckResponse.Types.ServingStatus.Serving));
        var admin = Assert.ThrowsAsync<RpcException>(() => health.CheckAsync(new HealthCheckRequest { Service = "mixnet.directory.v1.AdminService" }).ResponseAsync.Within());
        Assert.That(admin!.StatusCode, Is.EqualTo(StatusCode.NotFound));
        server.DeleteData();
    }
}
