namespace ObsBuildTasks.Testing.Faults;

/// <summary>
/// What the proxy does to a request that a <see cref="FaultRule"/> selected. The concrete kinds are
/// <see cref="CutRequestBodyFault"/>, <see cref="ErrorResponseFault"/>, <see cref="DelayResponseFault"/> and
/// <see cref="DropResponseFault"/>; create them through the <see cref="FaultRule"/> factory methods.
/// </summary>
public abstract record Fault
{
    private protected Fault()
    {
    }
}

/// <summary>
/// Forwards the request head and the first <see cref="AfterBytes"/> bytes of the body to the upstream, then aborts both
/// connections before any response: the client sees a connection reset mid-request, the upstream an early end of body.
/// If the body is not longer than <see cref="AfterBytes"/>, it is forwarded whole and the cut happens before the response.
/// </summary>
/// <param name="AfterBytes">How many body bytes get through.</param>
public sealed record CutRequestBodyFault(long AfterBytes) : Fault;

/// <summary>
/// Answers the request locally with an S3 XML error and <c>Connection: close</c>; the upstream never sees it.
/// </summary>
/// <param name="StatusCode">The HTTP status, e.g. 503.</param>
/// <param name="ErrorCode">The S3 error code put in <c>&lt;Code&gt;</c>, e.g. <c>SlowDown</c>.</param>
/// <param name="Message">The text put in <c>&lt;Message&gt;</c>.</param>
public sealed record ErrorResponseFault(int StatusCode, string ErrorCode, string Message) : Fault
{
    /// <summary>
    /// Further header fields sent with the error, in order, e.g. a <c>Date</c> far from the real time together with
    /// <c>RequestTimeTooSkewed</c>. Set through <see cref="FaultRule.WithResponseHeader"/>.
    /// </summary>
    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; init; } = [];
}

/// <summary>
/// Forwards the request, then holds the upstream's response for <see cref="Delay"/> before relaying it. If the client
/// disconnects meanwhile, the exchange is abandoned.
/// </summary>
/// <param name="Delay">How long the response is held.</param>
public sealed record DelayResponseFault(TimeSpan Delay) : Fault;

/// <summary>
/// Forwards the request and reads the upstream's whole response (so the operation takes effect upstream), then
/// resets the client connection without relaying any of it: a lost response.
/// </summary>
public sealed record DropResponseFault : Fault;
