namespace GdSweeps.Data;

/// <summary>
/// A read-only stream that ends after <c>limit</c> bytes of the stream under it, noting whether there was more.
/// </summary>
/// <remarks>The limit is checked as bytes arrive, not from the file's length: a device, a growing file or a file in
/// /proc has no true length.</remarks>
internal sealed class LimitedStream(Stream inner, long limit) : Stream
{
    private long read;

    /// <summary>
    /// The stream under this one had more than <c>limit</c> bytes; what was returned stops at the limit.
    /// </summary>
    public bool Passed { get; private set; }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => read;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (Passed || buffer.IsEmpty)
        {
            return 0;
        }

        // One byte past the limit, to tell a file of exactly the limit from a longer one.
        var room = limit - read;
        var n = inner.Read(room >= buffer.Length ? buffer : buffer[..((int)room + 1)]);
        if (read + n > limit)
        {
            Passed = true;
            n = (int)(limit - read);
        }

        read += n;
        return n;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
