using System.Buffers;

namespace ObsBuildTasks.Wire;

/// <summary>
/// Reads an answer's body with a size limit, telling the idle countdown as bytes arrive: memory stays flat whatever
/// a server sends, a slow but steady answer is never cut, and one that trickles (less than
/// <see cref="IdleWatchdog.ProgressBytes"/> per idle timeout) is. What lies beyond the limit is never read (disposing the
/// response then closes the connection rather than draining it).
/// </summary>
internal static class AnswerBody
{
    /// <summary>The most an XML answer (ListParts, ListMultipartUploads, Initiate, Complete) may hold.</summary>
    public const int MaxDocumentBytes = 4 * 1024 * 1024;

    /// <summary>How much of an error answer, or of a body nobody needs, is read.</summary>
    public const int MaxErrorBytes = 64 * 1024;

    /// <summary>How long whitespace that keeps an answer alive (<see cref="AnswerBodyUse.KeptAliveDocument"/>) counts as
    /// progress: S3 may take minutes to assemble a large object; a server that sends only spaces for longer is idle.</summary>
    public static readonly TimeSpan MaxKeepAlive = TimeSpan.FromMinutes(15);

    private const int ReadSize = 16 * 1024;

    /// <summary>Up to <paramref name="limit"/> bytes of the body, and whether there was more.</summary>
    /// <param name="response">The answer.</param>
    /// <param name="limit">The most bytes kept.</param>
    /// <param name="watchdog">Told of the bytes that arrive.</param>
    /// <param name="keptAlive">Whether reads of nothing but whitespace count as progress (for up to
    /// <see cref="MaxKeepAlive"/>), however few bytes they bring.</param>
    public static async Task<(byte[] Bytes, bool Truncated)> ReadAsync(HttpResponseMessage response, int limit, IdleWatchdog watchdog, bool keptAlive = false)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        if (response.Content.Headers.ContentLength is 0)
        {
            return ([], false);
        }

        watchdog.Touch("reading the answer");
        await using var stream = await response.Content.ReadAsStreamAsync(watchdog.Token).ConfigureAwait(false);
        var buffer = ArrayPool<byte>.Shared.Rent(ReadSize);
        try
        {
            using var collected = new MemoryStream();
            while (true)
            {
                var want = (int)Math.Min(buffer.Length, limit + 1L - collected.Length);
                var read = await stream.ReadAsync(buffer.AsMemory(0, want), watchdog.Token).ConfigureAwait(false);
                if (read == 0)
                {
                    return (collected.ToArray(), false);
                }

                if (keptAlive && System.Diagnostics.Stopwatch.GetElapsedTime(started) < MaxKeepAlive && buffer.AsSpan(0, read).IndexOfAnyExcept(" \t\r\n"u8) < 0)
                {
                    watchdog.Touch();
                }
                else
                {
                    watchdog.Arrived(read);
                }

                var kept = (int)Math.Min(read, limit - collected.Length);
                collected.Write(buffer, 0, kept);
                if (kept < read)
                {
                    return (collected.ToArray(), true);
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
