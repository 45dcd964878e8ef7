using Mixnet.Directory.Client;
using Mixnet.Directory.Tests.Infrastructure;
using Mixnet.Directory.V1;

namespace Mixnet.Directory.Tests.Sdk;

public sealed class NodeAgentLifecycleTests
{
    private AgentHarness _h = null!;

    [SetUp]
    public void SetUp() => _h = new AgentHarness();

    [TearDown]
    public void TearDown() => _h.Dispose();

    [Test]
    public async Task StartAsync_AfterStop_RegistersAgain()
    {
        await using var agent = _h.Create();
        await agent.StartAsync().Within();
        await agent.WaitUntilRegisteredAsync().Within();
        await agent.StopAsync().Within();
        var firstCompletion = agent.Completion;

        await agent.StartAsync().Within();
        await agent.WaitUntilRegisteredAsync().Within();

        Assert.That(agent.State, Is.EqualTo(NodeAgentState.Registered));
        Assert.That(agent.RegistrationCount, Is.EqualTo(2));
        Assert.That(_h.Directory.RequestsOf<RegisterNodeRequest>("RegisterNode"), Has.Count.EqualTo(2));
        Assert.That(_h.Directory.RequestsOf<DeregisterNodeRequest>("DeregisterNode"), Has.Count.EqualTo(1));
        Assert.That(firstCompletion.IsCompletedSuccessfully, Is.True, "the first run's completion stays completed");
        Assert.That(agent.Completion.IsCompleted, Is.False, "the second run has its own completion");

        await agent.StopAsync().Within();
        Assert.That(_h.Directory.RequestsOf<DeregisterNodeRequest>("DeregisterNode"), Has.Count.EqualTo(2));
    }

    [Test]
    public async Task StartAsync_AfterDispose_ThrowsObjectDisposed()
    {
        var agent = _h.Create();
        await agent.DisposeAsync();

        Assert.ThrowsAsync<ObjectDisposedException>(() => agent.StartAsync());
    }

    [Test]
    public async Task Constructor_GatewayWithoutLayer_RegistersWithLayerZero()
    {
        var options = AgentHarness.MixnodeOptions();
        options.Role = Mixnet.Directory.Client.NodeRole.Gateway;
        options.Layer = null;
        options.ClientPort = 9000;
        await using var agent = _h.Create(options);

        await agent.StartAsync().Within();
        await agent.WaitUntilRegisteredAsync().Within();

        var sent = NodeDescriptor.Parser.ParseFrom(_h.Directory.RequestsOf<RegisterNodeRequest>("RegisterNode").Single().Descriptor_);
        Assert.That(sent.Role, Is.EqualTo(Mixnet.Directory.V1.NodeRole.Gateway));
        Assert.That(sent.Layer, Is.Zero);
    }

    [Test]
    public void Constructor_GatewayDefaults_NeedNoLayer()
    {
        var options = new NodeAgentOptions { Role = Mixnet.Directory.Client.NodeRole.Gateway, Host = "198.51.100.7", MixPort = 1789, ClientPort = 9000 };

        Assert.That(options.Layer, Is.Null);
        Assert.DoesNotThrowAsync(async () => await _h.Create(options).DisposeAsync());
    }

    [Test]
    public void Constructor_MixnodeWithoutLayer_ThrowsNamingLayer()
    {
        var options = AgentHarness.MixnodeOptions();
        options.Layer = null;

        var ex = Assert.Throws<ArgumentException>(() => _h.Create(options));
        Assert.That(ex!.Message, Does.Contain("NodeAgentOptions.Layer"));
    }
}
