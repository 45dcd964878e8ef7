using Mixnet.Directory.Cli;
using Mixnet.Directory.Tests.Infrastructure;

namespace Mixnet.Directory.Tests.Tools;

/// <summary>mixdir run in-process: its exit code and what it wrote to stdout and stderr.</summary>
public sealed record CliRun(int ExitCode, string Output, string Error)
{
    /// <summary>Runs mixdir with no environment variables, bounded by the default test timeout.</summary>
    public static Task<CliRun> RunAsync(params string[] args) => RunAsync(new Dictionary<string, string>(), args);

    /// <summary>Runs mixdir with the environment variables in <paramref name="environment"/> only, bounded by the default test timeout.</summary>
    public static async Task<CliRun> RunAsync(IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var output = new LineCapture();
        var error = new LineCapture();
        var code = await CliApp.RunAsync(args, output, error, name => environment.GetValueOrDefault(name)).Within();
        return new CliRun(code, output.Text, error.Text);
    }

    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Output}\n--- stderr\n{Error}";
}
