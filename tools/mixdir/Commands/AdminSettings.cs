using System.ComponentModel;
using Spectre.Console.Cli;

namespace Mixnet.Directory.Cli.Commands;

/// <summary>The options every <c>mixdir admin</c> command has: the directory's, and the admin token.</summary>
public class AdminSettings : DirectorySettings
{
    /// <summary>The environment variable that holds the admin token when --token is not given.</summary>
    public const string TokenVariable = "MIXDIR_ADMIN_TOKEN";

    [CommandOption("--token <TOKEN>")]
    [Description("The admin token, sent as 'authorization: Bearer <token>' (default: $MIXDIR_ADMIN_TOKEN, which keeps it out of the process list and shell history).")]
    public string? Token { get; init; }

    /// <summary>The token from --token or the environment, trimmed; null when neither gives one.</summary>
    /// <param name="environment">Reads environment variables.</param>
    /// <param name="source">Where the token came from (--token or the variable), for error messages.</param>
    public string? ResolveToken(Func<string, string?> environment, out string source)
    {
        ArgumentNullException.ThrowIfNull(environment);
        if (!string.IsNullOrWhiteSpace(Token))
        {
            source = "--token";
            return Token.Trim();
        }

        source = TokenVariable;
        var text = environment(TokenVariable);
        return string.IsNullOrWhiteSpace(text) ? null : text.Trim();
    }

    /// <summary>
    /// Why <paramref name="environment"/> and the options give no usable token, or null when they do.
    /// The token itself never appears in the message.
    /// </summary>
    public string? CheckToken(Func<string, string?> environment)
    {
        var token = ResolveToken(environment, out var source);
        if (token is null)
        {
            return $"admin commands need the admin token: pass --token <TOKEN> or set {TokenVariable}.";
        }

        // It travels as an HTTP header value: printable ASCII only (the directory trims spaces at the ends).
        if (token.Any(c => c is < ' ' or > '~'))
        {
            return $"{source}: the admin token must be printable ASCII (it is sent as an HTTP header).";
        }

        return null;
    }
}
