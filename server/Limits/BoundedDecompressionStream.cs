using Grpc.Core;

namespace Mixnet.Directory.Server.Limits;

/// <summary>Reads an inflating stream, refusing more than <c>max</c> bytes out and input that does not inflate.</summary>
internal sealed class BoundedDecompressionStream(Stream inner, int max) : Stream
{
    private long _read;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => _read;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        int n;
        try
        {
            n = inner.Read(buffer);
        }
        catch (InvalidDataException)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, "request message is marked gzip but is not valid gzip"));
        }

        _read += n;
        if (_read > max)
        {
            throw new RpcException(new Status(StatusCode.ResourceExhausted, $"request message inflates to more than {max} bytes"));
        }

        return n;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
