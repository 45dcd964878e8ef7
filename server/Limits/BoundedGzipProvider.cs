using System.IO.Compression;
using Grpc.Net.Compression;

namespace Mixnet.Directory.Server.Limits;

/// <summary>
/// gzip for gRPC messages, replacing grpc-dotnet's default provider so that bytes marked gzip
/// that are not gzip answer INVALID_ARGUMENT instead of UNKNOWN with a logged stack trace.
/// The inflated message is also capped at <see cref="RequestSizeLimits.Default"/> bytes here,
/// whatever the grpc-dotnet version (the current one stops at the method's own limit too).
/// </summary>
internal sealed class BoundedGzipProvider : ICompressionProvider
{
    public string EncodingName => "gzip";

    public Stream CreateCompressionStream(Stream stream, CompressionLevel? compressionLevel) =>
        new GZipStream(stream, compressionLevel ?? CompressionLevel.Fastest, leaveOpen: true);

    public Stream CreateDecompressionStream(Stream stream) =>
        new BoundedDecompressionStream(new GZipStream(stream, CompressionMode.Decompress), RequestSizeLimits.Default);
}
