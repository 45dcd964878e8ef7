using System.IO.Compression;
using Grpc.Net.Compression;

namespace Mixnet.Directory.Server.Limits;

/// <summary>
/// gzip for gRPC messages, replacing grpc-dotnet's default provider. grpc-dotnet inflates a
/// compressed request into memory without a bound, so 64 KB of gzip could become 64 MB; here
/// the inflated message may be at most <see cref="RequestSizeLimits.Default"/> bytes, and bytes
/// that are not gzip answer INVALID_ARGUMENT instead of UNKNOWN with a logged stack trace.
/// </summary>
internal sealed class BoundedGzipProvider : ICompressionProvider
{
    public string EncodingName => "gzip";

    public Stream CreateCompressionStream(Stream stream, CompressionLevel? compressionLevel) =>
        new GZipStream(stream, compressionLevel ?? CompressionLevel.Fastest, leaveOpen: true);

    public Stream CreateDecompressionStream(Stream stream) =>
        new BoundedDecompressionStream(new GZipStream(stream, CompressionMode.Decompress), RequestSizeLimits.Default);
}
