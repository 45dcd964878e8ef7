using Microsoft.Extensions.Options;

namespace Mixnet.Directory.Client;

/// <summary>Refuses options a client cannot be built from, at host start (<c>ValidateOnStart</c>) rather than at first use.</summary>
internal sealed class DirectoryClientOptionsValidator : IValidateOptions<DirectoryClientOptions>
{
    public ValidateOptionsResult Validate(string? name, DirectoryClientOptions options) =>
        DirectoryClientOptionsRules.Validate(options, requireAddress: true) is { } error ? ValidateOptionsResult.Fail(error) : ValidateOptionsResult.Success;
}
