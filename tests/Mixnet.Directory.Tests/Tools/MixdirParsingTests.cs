using System.Text.Json;
using Mixnet.Directory.Cli;

namespace Mixnet.Directory.Tests.Tools;

/// <summary>mixdir's strict command line: unknown or malformed options fail with exit 1 naming them, before anything is sent.</summary>
[TestFixture]
public sealed class MixdirParsingTests
{
    // Nothing listens on port 1: a command that got as far as connecting would exit 2, not 1.
    private const string NoDirectory = "http://127.0.0.1:1";

    [TestCase("topology", "--layr", "2")]
    [TestCase("info", "--bogus")]
    [TestCase("watch", "--jsn")]
    [TestCase("node", "072eef73", "--frobnicate")]
    [TestCase("admin", "bans", "--tokn", "x")]
    public async Task UnknownOption_ExitsOneNamingIt(params string[] args)
    {
        var run = await CliRun.RunAsync([.. args, "--directory", NoDirectory]);

        Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.BadInput), run.ToString());
        var unknown = args.First(a => a.StartsWith("--", StringComparison.Ordinal)).TrimStart('-');
        Assert.That(run.Error, Does.Contain(unknown).And.Contain("Unknown option"));
        Assert.That(run.Output, Is.Empty, "nothing is printed as if the option were fine");
    }

    [Test]
    public async Task Version_PrintsTheVersion_ExitsZero()
    {
        var run = await CliRun.RunAsync("--version");

        Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Success), run.ToString());
        Assert.That(run.Output.Trim(), Is.EqualTo(CliApp.Version).And.Match(@"^\d+\.\d+\.\d+"));
    }

    [TestCase("info", "-o", "yaml", "-o")]
    [TestCase("topology", "--output", "xml", "-o")]
    [TestCase("info", "--timeout", "soon", "--timeout")]
    [TestCase("info", "--timeout", "0s", "--timeout")]
    [TestCase("node", "xyz", "", "ID")]
    [TestCase("metrics", "--node", "not-hex", "--node")]
    public async Task MalformedValue_ExitsOneNamingTheOption(string command, string option, string value, string named)
    {
        string[] args = option.Length == 0 ? [command, value] : value.Length == 0 ? [command, option] : [command, option, value];

        var run = await CliRun.RunAsync([.. args, "--directory", NoDirectory]);

        Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.BadInput), run.ToString());
        Assert.That(run.Error, Does.Contain(named));
    }

    [Test]
    public async Task DirectoryKeyVariable_Malformed_ExitsOneNamingIt()
    {
        var run = await CliRun.RunAsync(new Dictionary<string, string> { ["MIXDIR_DIRECTORY_KEY"] = "abcd" }, "info", "--directory", NoDirectory);

        Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.BadInput), run.ToString());
        Assert.That(run.Error, Does.Contain("MIXDIR_DIRECTORY_KEY"));
    }

    [Test]
    public async Task NodeRegister_MissingHost_ExitsOneNamingIt()
    {
        var run = await CliRun.RunAsync("node", "register", "--mix-port", "1789", "--node-version", "1.0.0", "--directory", NoDirectory);

        Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.BadInput), run.ToString());
        Assert.That(run.Error, Does.Contain("--host"));
    }

    [TestCase("--role", "relay", "--role")]
    [TestCase("--layer", "4", "--layer")]
    [TestCase("--node-version", "one", "--node-version")]
    public async Task DescriptorSign_BadField_ExitsOneNamingTheOption(string option, string value, string named)
    {
        var run = await CliRun.RunAsync("descriptor", "sign", "--host", "127.0.0.1", "--mix-port", "1789", "--node-version", "1.0.0", option, value);

        Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.BadInput), run.ToString());
        Assert.That(run.Error, Does.Contain(named));
    }

    [TestCase("--directory", "http://127.0.0.1:5000")]
    [TestCase("--directory-key", "0000000000000000000000000000000000000000000000000000000000000000")]
    [TestCase("--timeout", "5s")]
    public async Task DescriptorSign_DirectoryOption_ExitsOne_ItWorksOffline(string option, string value)
    {
        var run = await CliRun.RunAsync("descriptor", "sign", "--host", "127.0.0.1", "--mix-port", "1789", "--node-version", "1.0.0", option, value);

        Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.BadInput), run.ToString());
        Assert.That(run.Error, Does.Contain(option + ": 'descriptor sign' talks to no directory"));
        Assert.That(run.Output, Is.Empty);
    }

    [Test]
    public async Task DescriptorSign_NoIdentityFile_ExitsOneSayingHowToMakeOne()
    {
        var path = Path.Combine(Path.GetTempPath(), "absent-" + Guid.NewGuid().ToString("N") + ".identity");

        var run = await CliRun.RunAsync("descriptor", "sign", "--identity", path, "--host", "127.0.0.1", "--mix-port", "1789", "--node-version", "1.0.0");

        Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.BadInput), run.ToString());
        Assert.That(run.Error, Does.Contain("--identity").And.Contain("mixdir keygen"));
    }

    [TestCase("heartbeat")]
    [TestCase("deregister")]
    public async Task NodeLeaseCommand_WithoutLease_ExitsOneBeforeConnecting(string command)
    {
        var run = await CliRun.RunAsync("node", command, "--directory", NoDirectory);

        Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.BadInput), run.ToString());
        Assert.That(run.Error, Does.Contain("--lease").And.Contain("MIXDIR_LEASE_TOKEN"));
    }

    [Test]
    public async Task Keygen_JsonOutput_ParsesAndNamesTheKeys()
    {
        var path = Path.Combine(Path.GetTempPath(), "mixdir-" + Guid.NewGuid().ToString("N") + ".identity");
        try
        {
            var run = await CliRun.RunAsync("keygen", "--out", path, "-o", "json");

            Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Success), run.ToString());
            using var json = JsonDocument.Parse(run.Output);
            using var identity = Client.NodeIdentity.Load(path);
            Assert.That(json.RootElement.GetProperty("identity_key").GetString(), Is.EqualTo(identity.IdentityHex));
            Assert.That(json.RootElement.GetProperty("path").GetString(), Is.EqualTo(Path.GetFullPath(path)));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
