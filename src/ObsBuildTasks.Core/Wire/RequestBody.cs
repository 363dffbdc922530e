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

    /// <summary>Checks a successful answer against what was sent; throws a retryable <see cref="ObsException"/> when
    /// they differ.</summary>
    public virtual void Verify(string operation, WireResponse response)
    {
    }

    /// <summary>The server refused the attempt with <paramref name="refusal"/>: returns the failure to report, which
    /// may say more about the cause than the server could (or throws it).</summary>
    public virtual ObsException ExplainRefusal(ObsException refusal) => refusal;

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
