namespace Mixnet.Directory.Tests.Infrastructure;

/// <summary>
/// The base of fixtures that run one real directory per test. A test's <c>[SetUp]</c> starts it
/// with <see cref="StartDirectoryAsync"/>; after every test the base stops it, which fails the test
/// if the server logged an error the test did not declare (<see cref="DirectoryServerHost.ExpectErrors"/>),
/// and deletes its data folder, whatever the test did.
/// </summary>
public abstract class DirectoryFixture
{
    private DirectoryServerHost? _server;
    private RawClients? _clients;

    /// <summary>The directory of the running test.</summary>
    protected DirectoryServerHost Server => _server ?? throw new InvalidOperationException("StartDirectoryAsync was not called in [SetUp]");

    /// <summary>Generated clients on <see cref="Server"/>'s channel.</summary>
    protected RawClients Clients => _clients ??= new RawClients(Server.Channel);

    /// <summary>Starts this test's directory with only the given settings (and clock).</summary>
    protected async Task<DirectoryServerHost> StartDirectoryAsync(IDictionary<string, string?>? settings = null, TimeProvider? time = null)
    {
        _server = await DirectoryServerHost.StartAsync(settings, time);
        _clients = null;
        return _server;
    }

    [TearDown]
    public async Task StopDirectoryAsync()
    {
        if (_server is not { } server)
        {
            return;
        }

        _server = null;
        _clients = null;
        try
        {
            await server.DisposeAsync();
        }
        finally
        {
            server.DeleteData();
        }
    }
}
