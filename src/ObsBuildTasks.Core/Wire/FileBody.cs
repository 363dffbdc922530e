using ObsBuildTasks.Hashing;
using ObsBuildTasks.Transfer;

namespace ObsBuildTasks.Wire;

/// <summary>A byte range of the file, streamed, whose MD5 was computed beforehand: it goes out as <c>Content-MD5</c>, and
/// the answer's ETag must be that MD5. When the server refuses the bytes or stores others, the range is hashed again to
/// tell a file that changed since it was hashed (not retried) from a body damaged on the way (sent again).
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

        /// <summary>A part's answer must carry an ETag that is an MD5, and that MD5 must be the one of the range.</summary>
        public override void Verify(string operation, WireResponse response)
        {
            var expected = Convert.ToHexStringLower(_body._slice.Md5);
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
                EnsureFileUnchanged();
                throw new ObsException(operation, ObsErrorKind.IntegrityMismatch,
                    $"{operation}: the server's ETag {etag} is not the MD5 {expected} of the bytes sent: the body was damaged on the way.",
                    requestId: response.RequestId);
            }
        }

        /// <summary><c>BadDigest</c>: the bytes that arrived do not have the MD5 sent with them.</summary>
        public override ObsException ExplainRefusal(ObsException refusal)
        {
            if (refusal.ErrorCode == "BadDigest")
            {
                EnsureFileUnchanged();
            }

            return refusal;
        }

        public override void Rollback()
        {
            var sent = Interlocked.Exchange(ref _sent, 0);
            if (sent > 0)
            {
                _body._onBytes(-sent);
            }
        }

        /// <summary>Hashes the range again: bytes that no longer have the MD5 computed before sending mean the file
        /// changed during the upload.</summary>
        private void EnsureFileUnchanged()
        {
            var slice = _body._slice;
            if (!LaneHasher.Md5(slice.File, new ByteRange(slice.Offset, slice.Length), CancellationToken.None).AsSpan().SequenceEqual(slice.Md5))
            {
                throw slice.File.ContentChanged();
            }
        }
    }
}

/// <summary>A byte range of the file to send, with the MD5 it had when it was hashed before sending.</summary>
internal readonly record struct FileSlice(LocalFile File, long Offset, long Length, byte[] Md5);
