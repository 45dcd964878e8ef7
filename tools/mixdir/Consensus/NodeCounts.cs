using Mixnet.Directory.V1;

namespace Mixnet.Directory.Cli.Consensus;

/// <summary>How many nodes a consensus lists, by role and mixnode layer (entries that do not parse are counted apart).</summary>
public sealed record NodeCounts(int Total, int Gateways, int[] Layers, int Unreadable)
{
    /// <summary>Mixnodes on every layer.</summary>
    public int Mixnodes => Layers.Sum();

    /// <summary>Counts the nodes of <paramref name="document"/> from their own descriptors.</summary>
    public static NodeCounts Of(ConsensusDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        var layers = new int[3];
        int gateways = 0, unreadable = 0;
        foreach (var node in document.Nodes)
        {
            NodeDescriptor descriptor;
            try
            {
                descriptor = NodeDescriptor.Parser.ParseFrom(node.Descriptor_);
            }
            catch (Google.Protobuf.InvalidProtocolBufferException)
            {
                unreadable++;
                continue;
            }

            if (descriptor.Role == NodeRole.Gateway)
            {
                gateways++;
            }
            else if (descriptor.Role == NodeRole.Mixnode && descriptor.Layer is >= 1 and <= 3)
            {
                layers[descriptor.Layer - 1]++;
            }
            else
            {
                unreadable++;
            }
        }

        return new NodeCounts(document.Nodes.Count, gateways, layers, unreadable);
    }
}
