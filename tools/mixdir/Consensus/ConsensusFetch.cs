using Grpc.Core;
using Mixnet.Directory.Cli.Commands;
using Mixnet.Directory.Cli.Infrastructure;
using Mixnet.Directory.V1;

namespace Mixnet.Directory.Cli.Consensus;

/// <summary>Asks every authority for its consensus at once, each call bounded by the timeout.</summary>
public static class ConsensusFetch
{
    /// <summary>One answer per address, in the order given.</summary>
    public static Task<AuthorityAnswer[]> AskAllAsync(ConsensusTrust trust, TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(trust);
        ArgumentNullException.ThrowIfNull(time);
        return Task.WhenAll(trust.Addresses.Select(a => AskAsync(a, trust, timeout, time, cancellationToken)));
    }

    private static async Task<AuthorityAnswer> AskAsync(string address, ConsensusTrust trust, TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        var target = new DirectoryTarget(address, null, timeout);
        using var channel = target.OpenChannel();
        try
        {
            var response = await new TopologyService.TopologyServiceClient(channel)
                .GetConsensusAsync(new GetConsensusRequest(), target.CallOptions(cancellationToken));
            return response.Consensus is null
                ? new AuthorityAnswer(address, null, null, "answered without a consensus", Reached: true)
                : new AuthorityAnswer(address, response.Consensus, ConsensusCheck.Of(response.Consensus, trust, time.GetUtcNow()), null, Reached: true);
        }
        catch (RpcException ex) when (cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException("Cancelled by the user.", ex, cancellationToken);
        }
        catch (RpcException ex) when (ex.StatusCode is StatusCode.FailedPrecondition or StatusCode.Unimplemented)
        {
            // It answered: not an authority, or no consensus signed by enough authorities yet.
            return new AuthorityAnswer(address, null, null, $"{ex.StatusCode}: {ex.Status.Detail}", Reached: true);
        }
        catch (RpcException ex)
        {
            return new AuthorityAnswer(address, null, null, CliErrors.DescribeFailure(address, ex), Reached: false);
        }
        catch (HttpRequestException ex) when (!cancellationToken.IsCancellationRequested)
        {
            return new AuthorityAnswer(address, null, null, CliErrors.DescribeFailure(address, ex), Reached: false);
        }
    }
}
