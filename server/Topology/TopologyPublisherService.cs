namespace Mixnet.Directory.Server.Topology;

/// <summary>Runs the publisher's batching loop for the lifetime of the host.</summary>
internal sealed class TopologyPublisherService(TopologyPublisher publisher) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await publisher.RunAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
