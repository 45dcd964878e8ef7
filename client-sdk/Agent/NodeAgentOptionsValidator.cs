using Microsoft.Extensions.Options;

namespace Mixnet.Directory.Client;

/// <summary>Refuses options an agent cannot be built from, at host start (<c>ValidateOnStart</c>) rather than at first use.</summary>
internal sealed class NodeAgentOptionsValidator : IValidateOptions<NodeAgentOptions>
{
    public ValidateOptionsResult Validate(string? name, NodeAgentOptions options) =>
        NodeAgentOptionsRules.Validate(options, requireAddress: true) is { } error ? ValidateOptionsResult.Fail(error) : ValidateOptionsResult.Success;
}
