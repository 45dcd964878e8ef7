using Google.Protobuf;
using Mixnet.Directory.V1;
using Mixnet.Directory.Validation;

namespace Mixnet.Directory.Fuzz;

/// <summary>A serialized <see cref="ReportMetricsRequest"/> through <see cref="MetricsReportRules"/>, as the directory checks it before the lease.</summary>
public static class MetricsTarget
{
    /// <summary>The target's name on the command line and its corpus folder.</summary>
    public const string Name = "metrics";

    /// <summary>Runs one input.</summary>
    /// <param name="input">The bytes afl (or the corpus) supplied.</param>
    public static FuzzOutcome Run(ReadOnlySpan<byte> input)
    {
        ReportMetricsRequest request;
        try
        {
            request = ReportMetricsRequest.Parser.ParseFrom(input);
        }
        catch (InvalidProtocolBufferException)
        {
            return FuzzOutcome.Refuse(FuzzOutcome.Unparsable);
        }

        if (MetricsReportRules.Validate(request) is { } error)
        {
            return FuzzOutcome.Refuse(error.Field);
        }

        if (MetricsReportRules.TotalSent(request) > MetricsReportLimits.MaxCount)
        {
            throw new InvariantViolatedException("an accepted report sums past MaxCount");
        }

        return FuzzOutcome.Accept;
    }
}
