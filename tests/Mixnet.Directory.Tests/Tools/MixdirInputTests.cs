using System.Net;
using System.Net.Sockets;
using Mixnet.Directory.Cli;

namespace Mixnet.Directory.Tests.Tools;

/// <summary>mixdir's answers to wrong input and to a directory that is not there: one line, the right exit code.</summary>
[TestFixture]
public sealed class MixdirInputTests
{
    [Test]
    public async Task Info_DirectoryUnreachable_ExitsTwoWithOneLineMessage()
    {
        var address = $"http://127.0.0.1:{UnusedPort()}";

        var run = await CliRun.RunAsync("info", "--directory", address);

        Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Unreachable), run.ToString());
        Assert.That(run.Error, Does.StartWith($"mixdir: cannot reach the directory at {address}: "));
        Assert.That(run.Error.TrimEnd().Split('\n'), Has.Length.EqualTo(1), "one line, no stack trace");
        Assert.That(run.Output, Is.Empty);
    }

    [TestCase("topology")]
    [TestCase("watch")]
    [TestCase("metrics")]
    public async Task Command_DirectoryUnreachable_ExitsTwo(string command)
    {
        var address = $"http://127.0.0.1:{UnusedPort()}";

        var run = await CliRun.RunAsync(command, "--directory", address);

        Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Unreachable), run.ToString());
        Assert.That(run.Error, Does.Contain($"cannot reach the directory at {address}"));
    }

    [Test]
    public async Task Node_MalformedIdentity_ExitsOneNamingTheArgument()
    {
        var run = await CliRun.RunAsync("node", "not-a-key", "--directory", "http://127.0.0.1:1");

        Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.BadInput), run.ToString());
        Assert.That(run.Error, Does.Contain("ID: ").And.Contain("not-a-key"));
    }

    [Test]
    public async Task Info_MalformedDirectoryKey_ExitsOneNamingTheOption()
    {
        var run = await CliRun.RunAsync("info", "--directory-key", "abcd");

        Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.BadInput), run.ToString());
        Assert.That(run.Error, Does.Contain("--directory-key"));
    }

    [Test]
    public async Task Metrics_MalformedNodeFilter_ExitsOneNamingTheOption()
    {
        var run = await CliRun.RunAsync("metrics", "--node", "zz");

        Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.BadInput), run.ToString());
        Assert.That(run.Error, Does.Contain("--node"));
    }

    [Test]
    public async Task Info_DirectoryNotAUrl_ExitsOne()
    {
        var run = await CliRun.RunAsync("info", "--directory", "localhost:5000");

        Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.BadInput), run.ToString());
        Assert.That(run.Error, Does.Contain("--directory"));
    }

    [Test]
    public async Task UnknownCommand_ExitsOne()
    {
        var run = await CliRun.RunAsync("frobnicate");

        Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.BadInput), run.ToString());
        Assert.That(run.Error, Does.Contain("frobnicate"));
    }

    [Test]
    public async Task EnvironmentVariable_SetsTheDirectory()
    {
        var address = $"http://127.0.0.1:{UnusedPort()}";
        var output = new LineCapture();
        var error = new LineCapture();

        var code = await CliApp.RunAsync(["info"], output, error, name => name == "MIXDIR_DIRECTORY" ? address : null).WaitAsync(TimeSpan.FromSeconds(15));

        Assert.That(code, Is.EqualTo(ExitCodes.Unreachable));
        Assert.That(error.Text, Does.Contain(address));
    }

    /// <summary>A loopback port nothing listens on: bound, read, released.</summary>
    private static int UnusedPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
