using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Mixnet.Directory.Server.Authorities;
using Mixnet.Directory.Signing;
using Mixnet.Directory.V1;
using NSec.Cryptography;

namespace Mixnet.Directory.Tests.Infrastructure;

/// <summary>
/// N directory authorities on loopback, each a real Kestrel directory with its own key file and
/// data folder, configured with one another as <c>Directory:Authorities</c>. An authority can be
/// stopped and restarted on the same port with the same data. Disposing stops every host, deletes
/// the data and the keys.
/// </summary>
public sealed class AuthorityCluster : IAsyncDisposable
{
    private readonly DirectoryServerHost?[] _hosts;
    private readonly string[] _dataPaths;
    private readonly int[] _ports;
    private readonly Func<int, TimeProvider?> _time;

    private AuthorityCluster(Key[] keys, int[] ports, string[] dataPaths, Dictionary<string, string?> settings, Func<int, TimeProvider?> time)
    {
        Keys = keys;
        _ports = ports;
        _dataPaths = dataPaths;
        _hosts = new DirectoryServerHost?[keys.Length];
        Settings = settings;
        _time = time;
    }

    /// <summary>The authorities' private keys, in configuration order.</summary>
    public Key[] Keys { get; }

    /// <summary>The authorities' public keys, in configuration order.</summary>
    public ReadOnlyMemory<byte>[] PublicKeys => [.. Keys.Select(k => (ReadOnlyMemory<byte>)PublicOf(k))];

    /// <summary>Every authority's gRPC address, stopped ones included.</summary>
    public Uri[] Addresses => [.. _ports.Select(p => new Uri($"http://127.0.0.1:{p}"))];

    /// <summary>The settings every authority starts with (its own additions included).</summary>
    public Dictionary<string, string?> Settings { get; }

    /// <summary>The running authorities.</summary>
    public IEnumerable<DirectoryServerHost> Running => _hosts.OfType<DirectoryServerHost>();

    /// <summary>Authority <paramref name="index"/>; throws when it is stopped.</summary>
    public DirectoryServerHost this[int index] => _hosts[index] ?? throw new InvalidOperationException($"authority {index} is stopped");

    /// <summary>Starts <paramref name="count"/> authorities voting in epochs of <paramref name="epochLength"/>.</summary>
    /// <param name="count">How many authorities.</param>
    /// <param name="epochLength">The epoch length (seconds in tests).</param>
    /// <param name="extra">More settings for every authority.</param>
    /// <param name="time">The clock of authority i (for skew); the system clock when null.</param>
    public static async Task<AuthorityCluster> StartAsync(int count, TimeSpan epochLength, IDictionary<string, string?>? extra = null, Func<int, TimeProvider?>? time = null)
    {
        var keys = Enumerable.Range(0, count).Select(_ => Key.Create(SignatureAlgorithm.Ed25519, new KeyCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport })).ToArray();
        var ports = keys.Select(_ => FreePort()).ToArray();
        var dataPaths = keys.Select(_ => Path.Combine(Path.GetTempPath(), "mixdir-auth-" + Guid.NewGuid().ToString("N"))).ToArray();
        var settings = new Dictionary<string, string?>
        {
            ["Directory:EpochLength"] = epochLength.ToString(),
            ["Directory:PresenceTtl"] = "00:10:00",
        };
        for (var i = 0; i < count; i++)
        {
            settings[$"Directory:Authorities:{i}:Name"] = $"auth{i}";
            settings[$"Directory:Authorities:{i}:Key"] = KeyFingerprint.Hex(PublicOf(keys[i]));
            settings[$"Directory:Authorities:{i}:Address"] = $"http://127.0.0.1:{ports[i]}";
            WriteKey(dataPaths[i], keys[i]);
        }

        foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        var cluster = new AuthorityCluster(keys, ports, dataPaths, settings, time ?? (_ => null));
        try
        {
            for (var i = 0; i < count; i++)
            {
                await cluster.StartAsync(i);
            }
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }

        return cluster;
    }

    /// <summary>Starts (or restarts) authority <paramref name="index"/> on its port with its data.</summary>
    public async Task<DirectoryServerHost> StartAsync(int index)
    {
        if (_hosts[index] is not null)
        {
            throw new InvalidOperationException($"authority {index} is running");
        }

        var host = await DirectoryServerHost.StartAsync(Settings, _time(index), grpcPort: _ports[index], dataPath: _dataPaths[index]);
        _hosts[index] = host;
        return host;
    }

    /// <summary>Stops authority <paramref name="index"/> (its data stays, for a restart).</summary>
    public async Task StopAsync(int index)
    {
        var host = _hosts[index] ?? throw new InvalidOperationException($"authority {index} is stopped");
        _hosts[index] = null;
        await host.DisposeAsync();
    }

    /// <summary>The first consensus authority <paramref name="index"/> publishes (or holds) that matches.</summary>
    public Task<SignedConsensus> Published(int index, Func<SignedConsensus, bool> matches)
    {
        var authority = this[index].Services.GetRequiredService<ConsensusAuthority>();
        var done = new TaskCompletionSource<SignedConsensus>(TaskCreationOptions.RunContinuationsAsynchronously);
        authority.Published += c =>
        {
            if (matches(c))
            {
                done.TrySetResult(c);
            }
        };
        if (authority.Current is { } current && matches(current))
        {
            done.TrySetResult(current);
        }

        return done.Task;
    }

    /// <summary>The epoch of a signed consensus.</summary>
    public static ulong Epoch(SignedConsensus consensus) => ConsensusDocument.Parser.ParseFrom(consensus.Document).Epoch;

    /// <summary>How many nodes a signed consensus lists.</summary>
    public static int Nodes(SignedConsensus consensus) => ConsensusDocument.Parser.ParseFrom(consensus.Document).Nodes.Count;

    /// <summary>The raw 32-byte public key of an Ed25519 key.</summary>
    public static byte[] PublicOf(Key key) => key.PublicKey.Export(KeyBlobFormat.RawPublicKey);

    public async ValueTask DisposeAsync()
    {
        for (var i = 0; i < _hosts.Length; i++)
        {
            if (_hosts[i] is { } host)
            {
                _hosts[i] = null;
                await host.DisposeAsync();
            }
        }

        foreach (var path in _dataPaths)
        {
            if (System.IO.Directory.Exists(path))
            {
                System.IO.Directory.Delete(path, recursive: true);
            }
        }

        foreach (var key in Keys)
        {
            key.Dispose();
        }
    }

    private static int FreePort()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }

    private static void WriteKey(string dataPath, Key key)
    {
        System.IO.Directory.CreateDirectory(dataPath);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using var stream = new FileStream(Path.Combine(dataPath, "directory.key"), options);
        stream.Write(key.Export(KeyBlobFormat.PkixPrivateKeyText));
    }
}
