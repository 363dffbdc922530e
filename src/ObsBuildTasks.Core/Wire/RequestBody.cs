using System.Text.RegularExpressions;
using Microsoft.Win32.SafeHandles;

namespace ObsBuildTasks.Wire;

/// <summary>A request body that can be sent again on every attempt.</summary>
internal abstract class RequestBody
{
    /// <summary>Prepares the body of one attempt.</summary>
    public abstract BodyAttempt StartAttempt(IdleWatchdog watchdog);
}

/// <summary>The body of one attempt.</summary>
internal abstract class BodyAttempt : IDisposable
{
    public abstract HttpContent Content { get; }

    public void Dispose() => Content.Dispose();

    /// <summary>Checks the answer against what was sent; throws a transient <see cref="ObsException"/> when they differ.</summary>
    public virtual void Verify(string operation, WireResponse response)
    {
    }

    /// <summary>The attempt failed: take back what it reported as sent.</summary>
    public virtual void Rollback()
    {
    }
}

/// <summary>A small in-memory body (the Complete document).</summary>
internal sealed class BytesBody(byte[] bytes) : RequestBody
{
    public override BodyAttempt StartAttempt(IdleWatchdog watchdog) => new BytesAttempt(new ByteArrayContent(bytes));

    private sealed class BytesAttempt(HttpContent content) : BodyAttempt
    {
        public override HttpContent Content => content;
    }
}

/// <summary>A byte range of a file, streamed and hashed; the returned ETag must be its MD5. The callback is told of
/// every chunk sent, and of a failed attempt's chunks again with a negative count.</summary>
internal sealed partial class FileBody : RequestBody
{
    private readonly SafeFileHandle _file;
    private readonly long _offset;
    private readonly long _length;
    private readonly Action<long> _onBytes;

    public FileBody(SafeFileHandle file, long offset, long length, Action<long> onBytes)
    {
        _file = file;
        _offset = offset;
        _length = length;
        _onBytes = onBytes;
    }

    public override BodyAttempt StartAttempt(IdleWatchdog watchdog) => new FileAttempt(this, watchdog);

    [GeneratedRegex("^[0-9a-fA-F]{32}$")]
    private static partial Regex Md5Hex();

    private sealed class FileAttempt : BodyAttempt
    {
        private readonly FileBody _body;
        private readonly FileRangeContent _content;
        private long _sent;

        public FileAttempt(FileBody body, IdleWatchdog watchdog)
        {
            _body = body;
            _content = new FileRangeContent(body._file, body._offset, body._length, chunk =>
            {
                watchdog.Touch();
                Interlocked.Add(ref _sent, chunk);
                body._onBytes(chunk);
            });
        }

        public override HttpContent Content => _content;

        public override void Verify(string operation, WireResponse response)
        {
            var expected = Convert.ToHexStringLower(_content.Md5);
            // An ETag that is not an MD5 (server-side encryption with KMS or customer keys) cannot be compared.
            if (response.ETag is { } etag && Md5Hex().IsMatch(etag) && !string.Equals(etag, expected, StringComparison.OrdinalIgnoreCase))
            {
                throw new ObsException(operation,
                    $"{operation}: the server's ETag {etag} differs from the MD5 {expected} of the bytes sent; sending again.",
                    System.Net.HttpStatusCode.OK, ObsErrorCodes.ETagMismatch, response.RequestId);
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
