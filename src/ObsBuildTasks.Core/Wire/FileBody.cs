using ObsBuildTasks.Transfer;

namespace ObsBuildTasks.Wire;

/// <summary>A byte range of the file, streamed and hashed; the answer's ETag must be the MD5 of exactly what was sent.
/// When the MD5 was computed beforehand (for <c>Content-MD5</c>), bytes that differ from it mean the file changed.
/// The progress callback is told of every chunk sent, and of a failed attempt's chunks again with a negative count.</summary>
internal sealed class FileBody : RequestBody
{
    private readonly FileSlice _slice;
    private readonly Action<long> _onBytes;

    public FileBody(FileSlice slice, Action<long> onBytes)
    {
        _slice = slice;
        _onBytes = onBytes;
    }

    public override BodyAttempt StartAttempt(IdleWatchdog watchdog) => new FileAttempt(this, watchdog);

    private sealed class FileAttempt : BodyAttempt
    {
        private readonly FileBody _body;
        private readonly FileRangeContent _content;
        private long _sent;

        public FileAttempt(FileBody body, IdleWatchdog watchdog)
        {
            _body = body;
            _content = new FileRangeContent(body._slice, chunk =>
            {
                var sent = Interlocked.Add(ref _sent, chunk);
                watchdog.Touch(sent < body._slice.Length ? "sending the request body" : "waiting for the answer");
                body._onBytes(chunk);
            });
        }

        public override HttpContent Content => _content;

        /// <summary>A part's answer must carry an ETag that is an MD5, and that MD5 must be the one of the bytes sent:
        /// anything else is a damaged part, sent again.</summary>
        public override void Verify(string operation, WireResponse response)
        {
            var expected = Convert.ToHexStringLower(_content.Md5);
            if (response.ETag is not { } etag)
            {
                throw S3Xml.Malformed(operation, "the answer has no ETag, so what the server stored cannot be checked");
            }

            if (!ETags.IsMd5(etag))
            {
                throw S3Xml.Malformed(operation, $"the ETag '{SafeText.Printable(etag)}' is not an MD5, so what the server stored cannot be checked");
            }

            if (!string.Equals(etag, expected, StringComparison.OrdinalIgnoreCase))
            {
                throw new ObsException(operation, ObsErrorKind.IntegrityMismatch,
                    $"{operation}: the server's ETag {etag} is not the MD5 {expected} of the bytes sent: the body was damaged on the way.",
                    requestId: response.RequestId);
            }
        }

        public override void Rollback()
        {
            var sent = Interlocked.Exchange(ref _sent, 0);
            if (sent > 0)
            {
                _body._onBytes(-sent);
            }
        }
    }
}

/// <summary>A byte range of the file to send, with the MD5 it had when hashed beforehand (for <c>Content-MD5</c>), if any.</summary>
internal readonly record struct FileSlice(LocalFile File, long Offset, long Length, byte[]? ExpectedMd5);
