namespace ObsBuildTasks.Testing.Faults;

/// <summary>
/// An immutable description of which requests get which <see cref="Faults.Fault"/>. Start from a factory method and
/// narrow it with <see cref="ForMethod"/>, <see cref="WithQueryParameter"/>, <see cref="WithoutQueryParameter"/> and a
/// budget (<see cref="First"/>, <see cref="EveryNth"/>, <see cref="WithProbability"/>):
/// <list type="bullet">
/// <item>answers made up locally, the upstream never sees the request: <see cref="Respond"/>,
/// <see cref="RespondWithError"/>, <see cref="RespondWithRedirect"/>, <see cref="RespondWithXml"/> (changed further by
/// <see cref="WithResponseHeader"/>, <see cref="WithFraming"/>, <see cref="KeepingAlive"/>, <see cref="Trickled"/>);</item>
/// <item>faults of the request on its way up: <see cref="CutRequestBody"/>, <see cref="TrickleRequestBody"/>;</item>
/// <item>faults of the upstream's answer on its way back, after the upstream acted: <see cref="DelayResponse"/>,
/// <see cref="TrickleResponse"/>, <see cref="DropResponse"/>, <see cref="RewriteResponse"/>;</item>
/// <item>no answer at all: <see cref="NeverRespond"/>, <see cref="StopReading"/>.</item>
/// </list>
/// </summary>
/// <remarks>
/// A request matches when every predicate holds. Rules are consulted in the order they were added; each matching rule
/// counts the request against its budget, and the first rule whose budget accepts it supplies the fault (later rules
/// do not see that request).
/// </remarks>
/// <example>
/// <code>
/// FaultRule.RespondWithError(503, "SlowDown").ForMethod("PUT").WithQueryParameter("partNumber").First(2)
/// FaultRule.DropResponse().ForMethod("POST").WithQueryParameter("uploads").First(1)              // lost answer to Initiate
/// FaultRule.RespondWithRedirect(307, "http://127.0.0.2:9000/bucket/key?uploads", "127.0.0.2:9000")
/// FaultRule.RespondWithXml("&lt;ListPartsResult&gt;&lt;Part&gt;&lt;Par").ForMethod("GET").WithQueryParameter("uploadId")
/// FaultRule.RewriteResponse(ResponseEdit.SetHeader("ETag", "\"not-hex\"")).ForMethod("PUT").WithQueryParameter("partNumber")
/// FaultRule.Respond(500, ResponseBody.Generated(3_000_000_000, "&lt;?xml version=\"1.0\"?&gt;&lt;Error&gt;"), "application/xml")
/// FaultRule.NeverRespond().ForMethod("PUT").WithQueryParameter("partNumber", "3").First(1)       // a stalled server
/// FaultRule.TrickleResponse(16, TimeSpan.FromMilliseconds(200)).ForMethod("GET").WithQueryParameter("uploadId")
/// FaultRule.RewriteResponse(ResponseEdit.TruncateBody(40)).ForMethod("POST").WithQueryParameter("uploadId")
/// </code>
/// </example>
public sealed record FaultRule
{
    /// <summary>Creates a rule that applies <paramref name="fault"/> to every request.</summary>
    public FaultRule(Fault fault)
    {
        ArgumentNullException.ThrowIfNull(fault);
        Fault = fault;
    }

    /// <summary>What happens to a selected request.</summary>
    public Fault Fault { get; init; }

    /// <summary>The HTTP method to match (case-insensitive), or <see langword="null"/> for any.</summary>
    public string? Method { get; init; }

    /// <summary>How the request's path (before any query, as sent) must end, or <see langword="null"/> for any.</summary>
    public string? PathSuffix { get; init; }

    /// <summary>Conditions on query parameters, all of which must hold.</summary>
    public IReadOnlyList<QueryCondition> QueryConditions { get; init; } = [];

    /// <summary>Which matching requests get the fault; <see cref="FaultBudget.Always"/> by default.</summary>
    public FaultBudget Budget { get; init; } = FaultBudget.Always;

    /// <summary>A rule that cuts the request body after <paramref name="afterBytes"/> bytes; see <see cref="CutRequestBodyFault"/>.</summary>
    public static FaultRule CutRequestBody(long afterBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(afterBytes);
        return new(new CutRequestBodyFault(afterBytes));
    }

    /// <summary>
    /// A rule that answers with an S3 XML error instead of forwarding: a <see cref="RespondFault"/> whose body is an
    /// <see cref="S3ErrorBody"/>.
    /// </summary>
    /// <param name="statusCode">The HTTP status (400–599), e.g. 503.</param>
    /// <param name="s3ErrorCode">The S3 error code, e.g. <c>SlowDown</c> or <c>InternalError</c>.</param>
    /// <param name="message">The error message; a fixed text naming the proxy when omitted.</param>
    public static FaultRule RespondWithError(int statusCode, string s3ErrorCode, string? message = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(statusCode, 400);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(statusCode, 599);
        ArgumentException.ThrowIfNullOrWhiteSpace(s3ErrorCode);
        return new(RespondFault.S3Error(statusCode, s3ErrorCode, message ?? $"Fault injected by the test proxy: {s3ErrorCode}."));
    }

    /// <summary>
    /// A rule that answers locally with any status and body instead of forwarding; see <see cref="RespondFault"/>. The
    /// body can be fixed bytes or text, or generated while sent, of any size or endless (<see cref="ResponseBody"/>).
    /// Change the answer further with <see cref="WithResponseHeader"/>, <see cref="WithFraming"/>,
    /// <see cref="KeepingAlive"/> and <see cref="Trickled"/>.
    /// </summary>
    /// <param name="statusCode">Any three-digit status, e.g. 200, 301, 307 or 500.</param>
    /// <param name="body">The body; <see cref="ResponseBody.Empty"/> when omitted.</param>
    /// <param name="contentType">Sent as <c>Content-Type</c> when given, e.g. <c>application/xml</c>.</param>
    public static FaultRule Respond(int statusCode, ResponseBody? body = null, string? contentType = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(statusCode, 100);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(statusCode, 999);
        var rule = new FaultRule(new RespondFault(statusCode, body ?? ResponseBody.Empty));
        return contentType is null ? rule : rule.WithResponseHeader("Content-Type", contentType);
    }

    /// <summary>
    /// A rule that answers locally with a redirect: the status, <c>Location</c> when given, and, when
    /// <paramref name="endpoint"/> is given, an S3/OBS XML error body carrying it in <c>&lt;Endpoint&gt;</c> (code
    /// <c>TemporaryRedirect</c> for 302, 303 and 307, <c>PermanentRedirect</c> otherwise); an empty body otherwise.
    /// </summary>
    /// <param name="statusCode">A 3xx status, e.g. 301 or 307.</param>
    /// <param name="location">The <c>Location</c> URL, e.g. <c>http://127.0.0.2:9000/bucket/key</c>; none when <see langword="null"/>.</param>
    /// <param name="endpoint">The endpoint named in the body, e.g. <c>bucket.obs.cn-north-4.myhuaweicloud.com</c>.</param>
    public static FaultRule RespondWithRedirect(int statusCode, string? location, string? endpoint = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(statusCode, 300);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(statusCode, 399);
        if (location is null && endpoint is null)
        {
            throw new ArgumentException("A redirect needs a Location, an Endpoint, or both.", nameof(location));
        }

        var rule = endpoint is null ? Respond(statusCode) : Respond(statusCode, RedirectBody(statusCode, endpoint), "application/xml");
        return location is null ? rule : rule.WithResponseHeader("Location", location);
    }

    /// <summary>
    /// A rule that answers locally with this XML text as the body (<c>Content-Type: application/xml</c>), e.g. a
    /// document that is garbage, empty or cut short where the client expects a result.
    /// </summary>
    /// <param name="xml">The body, sent as UTF-8 exactly as given.</param>
    /// <param name="statusCode">The status; 200 by default.</param>
    public static FaultRule RespondWithXml(string xml, int statusCode = 200) =>
        Respond(statusCode, ResponseBody.FromText(xml), "application/xml");

    /// <summary>A rule that holds the upstream response for <paramref name="delay"/>; see <see cref="DelayResponseFault"/>.</summary>
    public static FaultRule DelayResponse(TimeSpan delay)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(delay, TimeSpan.Zero);
        return new(new DelayResponseFault(delay));
    }

    /// <summary>
    /// A rule that relays the upstream's answer with its body trickling at <paramref name="bytes"/> bytes every
    /// <paramref name="interval"/>; see <see cref="TrickleResponseFault"/>. For a made-up answer, use
    /// <see cref="Trickled"/>.
    /// </summary>
    public static FaultRule TrickleResponse(int bytes, TimeSpan interval) => new(new TrickleResponseFault(new Pace(bytes, interval)));

    /// <summary>
    /// A rule that forwards the request body at <paramref name="bytes"/> bytes every <paramref name="interval"/>; see
    /// <see cref="TrickleRequestBodyFault"/>.
    /// </summary>
    public static FaultRule TrickleRequestBody(int bytes, TimeSpan interval) => new(new TrickleRequestBodyFault(new Pace(bytes, interval)));

    /// <summary>
    /// A rule that reads the request and never answers (a stalled server); see <see cref="NeverRespondFault"/>.
    /// </summary>
    public static FaultRule NeverRespond() => new(new NeverRespondFault());

    /// <summary>
    /// A rule that reads nothing after the request head and never answers; see <see cref="StopReadingFault"/>.
    /// </summary>
    public static FaultRule StopReading() => new(new StopReadingFault());

    /// <summary>A rule that loses the upstream response; see <see cref="DropResponseFault"/>.</summary>
    public static FaultRule DropResponse() => new(new DropResponseFault());

    /// <summary>
    /// A rule that forwards the request and relays the upstream's answer with <paramref name="edits"/> applied; see
    /// <see cref="RewriteResponseFault"/> and <see cref="ResponseEdit"/>, e.g.
    /// <c>FaultRule.RewriteResponse(ResponseEdit.RemoveHeader("ETag")).ForMethod("PUT").WithQueryParameter("partNumber")</c>.
    /// </summary>
    /// <param name="edits">At least one edit, at most one of them of the body.</param>
    public static FaultRule RewriteResponse(params ResponseEdit[] edits)
    {
        ArgumentNullException.ThrowIfNull(edits);
        if (edits.Length == 0 || edits.Any(e => e is null) || edits.OfType<ResponseEdit.BodyEdit>().Skip(1).Any())
        {
            throw new ArgumentException("A rewrite needs at least one edit, and at most one edit of the body.", nameof(edits));
        }

        return new(new RewriteResponseFault([.. edits]));
    }

    /// <summary>Restricts the rule to requests with this HTTP method.</summary>
    public FaultRule ForMethod(string method)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(method);
        return this with { Method = method };
    }

    /// <summary>Restricts the rule to requests whose path (as sent, before any query) ends with <paramref name="suffix"/>,
    /// e.g. one object's name.</summary>
    public FaultRule ForPathEndingWith(string suffix)
    {
        ArgumentException.ThrowIfNullOrEmpty(suffix);
        return this with { PathSuffix = suffix };
    }

    /// <summary>
    /// Restricts the rule to requests whose query has the parameter <paramref name="name"/> (with exactly
    /// <paramref name="value"/>, when given), e.g. <c>partNumber</c>, <c>uploadId</c> or <c>uploads</c>.
    /// </summary>
    public FaultRule WithQueryParameter(string name, string? value = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        return this with { QueryConditions = [.. QueryConditions, new QueryCondition(name, value, MustBePresent: true)] };
    }

    /// <summary>Restricts the rule to requests whose query lacks the parameter <paramref name="name"/>.</summary>
    public FaultRule WithoutQueryParameter(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        return this with { QueryConditions = [.. QueryConditions, new QueryCondition(name, null, MustBePresent: false)] };
    }

    /// <summary>
    /// Adds a header field to the answer this rule makes up (only for rules with a <see cref="RespondFault"/>), e.g.
    /// <c>FaultRule.RespondWithError(403, "RequestTimeTooSkewed").WithResponseHeader("Date", "...")</c>.
    /// </summary>
    /// <exception cref="InvalidOperationException">The rule's fault is not a <see cref="RespondFault"/>.</exception>
    public FaultRule WithResponseHeader(string name, string value)
    {
        ResponseHeadBuilder.Validate(name, value);
        return WithAnswer(answer => answer with { Headers = [.. answer.Headers, new(name, value)] });
    }

    /// <summary>
    /// Frames the body of the answer this rule makes up as <paramref name="framing"/> (only for rules with a
    /// <see cref="RespondFault"/>): <see cref="ResponseFraming.ContentLength"/>, <see cref="ResponseFraming.Chunked"/>
    /// or <see cref="ResponseFraming.UntilClose"/>.
    /// </summary>
    /// <exception cref="InvalidOperationException">The rule's fault is not a <see cref="RespondFault"/>.</exception>
    public FaultRule WithFraming(ResponseFraming framing)
    {
        if (framing is not (ResponseFraming.ContentLength or ResponseFraming.Chunked or ResponseFraming.UntilClose))
        {
            throw new ArgumentOutOfRangeException(nameof(framing), framing, "A made-up body is framed by Content-Length, chunked or until close.");
        }

        return WithAnswer(answer => framing == ResponseFraming.ContentLength && answer.Body.IsEndless
            ? throw new ArgumentException("An endless body cannot be framed by Content-Length.", nameof(framing))
            : answer with { Framing = framing });
    }

    /// <summary>
    /// Keeps the connection open after the answer this rule makes up (no <c>Connection: close</c>; only for rules with a
    /// <see cref="RespondFault"/>), so the client sends its next request on it.
    /// </summary>
    /// <exception cref="InvalidOperationException">The rule's fault is not a <see cref="RespondFault"/>.</exception>
    public FaultRule KeepingAlive() => WithAnswer(answer => answer with { KeepAlive = true });

    /// <summary>
    /// Sends the body of the answer this rule makes up at <paramref name="bytes"/> bytes every
    /// <paramref name="interval"/> (only for rules with a <see cref="RespondFault"/>), e.g.
    /// <c>FaultRule.RespondWithXml(listing).Trickled(16, TimeSpan.FromMilliseconds(200))</c>.
    /// </summary>
    /// <exception cref="InvalidOperationException">The rule's fault is not a <see cref="RespondFault"/>.</exception>
    public FaultRule Trickled(int bytes, TimeSpan interval)
    {
        var pace = new Pace(bytes, interval);
        return WithAnswer(answer => answer with { Pace = pace });
    }

    /// <summary>Applies the fault to the first <paramref name="count"/> matching requests only.</summary>
    public FaultRule First(int count) => this with { Budget = FaultBudget.FirstN(count) };

    /// <summary>Applies the fault to every <paramref name="interval"/>-th matching request (the k-th, 2k-th, …).</summary>
    public FaultRule EveryNth(int interval) => this with { Budget = FaultBudget.EveryNth(interval) };

    /// <summary>Applies the fault to a seeded-random <paramref name="fraction"/> of matching requests.</summary>
    public FaultRule WithProbability(double fraction, int seed) => this with { Budget = FaultBudget.Fraction(fraction, seed) };

    /// <summary>Whether a request with this method and target satisfies the rule's predicates (ignoring the budget).</summary>
    /// <param name="method">The HTTP method.</param>
    /// <param name="target">The request target, e.g. <c>/bucket/key?partNumber=3&amp;uploadId=abc</c>.</param>
    public bool Matches(string method, string target)
    {
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(target);
        return Matches(method, target, QueryString.Parse(target));
    }

    private static S3ErrorBody RedirectBody(int statusCode, string endpoint)
    {
        var error = statusCode is 302 or 303 or 307
            ? ResponseBody.S3Error("TemporaryRedirect", "Please re-send this request to the specified temporary endpoint. Continue to use the original request endpoint for future requests.")
            : ResponseBody.S3Error("PermanentRedirect", "The bucket you are attempting to access must be addressed using the specified endpoint. Please send all future requests to this endpoint.");
        return error with { Fields = [new("Endpoint", endpoint)] };
    }

    /// <summary>Changes the local answer of a rule whose fault is a <see cref="RespondFault"/>.</summary>
    /// <exception cref="InvalidOperationException">The rule's fault is not a <see cref="RespondFault"/>.</exception>
    private FaultRule WithAnswer(Func<RespondFault, RespondFault> change) =>
        Fault is RespondFault answer
            ? this with { Fault = change(answer) }
            : throw new InvalidOperationException("Only a rule that answers locally (a RespondFault) has an answer of its own to change.");

    internal bool Matches(string method, string target, IReadOnlyList<KeyValuePair<string, string?>> query) =>
        (Method is null || string.Equals(Method, method, StringComparison.OrdinalIgnoreCase))
        && (PathSuffix is null || target.Split('?', 2)[0].EndsWith(PathSuffix, StringComparison.Ordinal))
        && QueryConditions.All(c => c.IsSatisfiedBy(query));
}
