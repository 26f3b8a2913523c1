using System.IO.Pipelines;
using System.Text;

namespace Etrid.Scaling.Listeners;

/// <summary>
/// A connection's output that adds <c>X-Content-Type-Options: nosniff</c> to Kestrel's own refusals (see
/// <see cref="RefusalHeaders"/>). Everything else is handed through unchanged, without a copy.
/// </summary>
internal sealed class RefusalHeaderWriter(PipeWriter inner) : PipeWriter
{
    // Kestrel writes a refusal's header block (about 150 bytes) into one span when the span has room; asking the
    // pipe for at least this much keeps the block whole, so it is seen at once.
    private const int MinimumSpan = 512;

    private static readonly byte[] Http10 = "HTTP/1.0 "u8.ToArray();
    private static readonly byte[] Http11 = "HTTP/1.1 "u8.ToArray();
    private static readonly byte[] EndOfHeaders = "\r\n\r\n"u8.ToArray();
    private static readonly byte[] NoBody = "\r\nContent-Length: 0\r\n"u8.ToArray();
    private static readonly byte[] HeaderName = "\r\nX-Content-Type-Options:"u8.ToArray();
    private static readonly byte[] Header = "X-Content-Type-Options: nosniff\r\n"u8.ToArray();

    private Memory<byte> _lent;

    public override bool CanGetUnflushedBytes => inner.CanGetUnflushedBytes;

    public override long UnflushedBytes => inner.UnflushedBytes;

    public override void Advance(int bytes)
    {
        if (bytes > 0 && bytes <= _lent.Length && IsRefusalWithoutHeader(_lent.Span[..bytes]))
        {
            // The block sits in the pipe's memory, which the rewrite may be handed again: copy it out first.
            var original = _lent.Span[..bytes].ToArray();
            inner.Advance(0);
            _lent = default;
            var end = original.Length - 2;
            var span = inner.GetSpan(original.Length + Header.Length);
            original.AsSpan(0, end).CopyTo(span);
            Header.CopyTo(span[end..]);
            original.AsSpan(end).CopyTo(span[(end + Header.Length)..]);
            inner.Advance(original.Length + Header.Length);
            return;
        }

        _lent = default;
        inner.Advance(bytes);
    }

    public override Memory<byte> GetMemory(int sizeHint = 0) => _lent = inner.GetMemory(Math.Max(sizeHint, MinimumSpan));

    public override Span<byte> GetSpan(int sizeHint = 0) => GetMemory(sizeHint).Span;

    public override void CancelPendingFlush() => inner.CancelPendingFlush();

    public override void Complete(Exception? exception = null) => inner.Complete(exception);

    public override ValueTask CompleteAsync(Exception? exception = null) => inner.CompleteAsync(exception);

    public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default) => inner.FlushAsync(cancellationToken);

    /// <summary>An HTTP/1.x 4xx or 5xx header block with no body and no nosniff: Kestrel's own refusal (the application's carry it).</summary>
    internal static bool IsRefusalWithoutHeader(ReadOnlySpan<byte> written) =>
        (written.StartsWith(Http11) || written.StartsWith(Http10))
        && written.Length > Http11.Length
        && written[Http11.Length] is (byte)'4' or (byte)'5'
        && written.EndsWith(EndOfHeaders)
        && written.IndexOf(EndOfHeaders) == written.Length - EndOfHeaders.Length
        && written.IndexOf(NoBody) >= 0
        && IndexOfIgnoreCase(written, HeaderName) < 0;

    private static int IndexOfIgnoreCase(ReadOnlySpan<byte> text, ReadOnlySpan<byte> value)
    {
        for (var at = 0; at + value.Length <= text.Length; at++)
        {
            if (Ascii.EqualsIgnoreCase(text.Slice(at, value.Length), value))
            {
                return at;
            }
        }

        return -1;
    }
}
