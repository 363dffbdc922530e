using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;

namespace ObsBuildTasks.Wire;

/// <summary>Turns an answer with an error status into an <see cref="ObsException"/> whose message says what happened
/// and what to change: the service's code and text, advice for the codes users meet, and for redirects the endpoint
/// to use instead.</summary>
internal static partial class ServiceErrors
{
    public const string RequestTimeTooSkewed = "RequestTimeTooSkewed";

    /// <param name="operation">The operation that failed.</param>
    /// <param name="status">The answer's status.</param>
    /// <param name="wire">The answer's headers.</param>
    /// <param name="body">The start of the answer's body.</param>
    /// <param name="endpoint">The configured endpoint, for redirect advice.</param>
    /// <param name="bucketName">The request's bucket, for redirect advice.</param>
    /// <param name="clockOffset">The client's clock correction: set from the server's <c>Date</c> on a skew error.</param>
    public static ObsException FromAnswer(string operation, HttpStatusCode status, WireResponse wire, byte[] body, Uri endpoint, string? bucketName,
        ClockOffset clockOffset)
    {
        var error = S3Xml.TryParseError(body) ?? new ServiceError(DefaultCode(status), null, null);
        var requestId = error.RequestId ?? wire.RequestId;
        if ((int)status is >= 300 and < 400)
        {
            var target = RedirectTarget(error, wire);
            return new ObsException(operation, ObsErrorKind.Redirect, DescribeRedirect(operation, status, error, target, endpoint, bucketName, wire),
                status, error.Code, requestId) { RedirectTarget = target };
        }

        if (error.Code == RequestTimeTooSkewed)
        {
            return SkewError(operation, status, error, requestId, wire.ServerDate, clockOffset);
        }

        return new ObsException(operation, ObsErrorKind.Service, $"{Headline(operation, status, error)}{Advice(error.Code)}", status, error.Code, requestId)
        {
            ExpectedRegion = error.Region ?? ExpectedRegionIn(error.Message),
        };
    }

    /// <summary>The failure a service reported in the error document of a 2xx answer (services may accept a request at
    /// once and report in the body that it failed): a service error with the document's code, retried as that code
    /// is.</summary>
    public static ObsException InAcceptedAnswer(string operation, HttpStatusCode status, ServiceError error, string? requestId) =>
        new(operation, ObsErrorKind.Service,
            $"{operation} was accepted (HTTP {(int)status}) but then failed: {SafeText.Printable(error.Code)}{MessageOf(error)}.{Advice(error.Code)}",
            status, error.Code, error.RequestId ?? requestId);

    private static ObsException SkewError(string operation, HttpStatusCode status, ServiceError error, string? requestId, DateTimeOffset? serverDate,
        ClockOffset clockOffset)
    {
        if (serverDate is not { } date)
        {
            return new ObsException(operation, ObsErrorKind.Service,
                $"{Headline(operation, status, error)} The local clock differs from the server's by more than 15 minutes, and the answer carried no Date header to correct it from: set this machine's clock (e.g. with NTP) and run again.",
                status, error.Code, requestId);
        }

        var offset = clockOffset.CorrectFrom(date);
        return new ObsException(operation, ObsErrorKind.Service, string.Create(CultureInfo.InvariantCulture,
            $"{Headline(operation, status, error)} The local clock is {Math.Abs(offset.TotalSeconds):0} s {(offset > TimeSpan.Zero ? "behind" : "ahead of")} the server's; requests are now dated by the server's clock. Set this machine's clock (e.g. with NTP) to avoid this."),
            status, error.Code, requestId) { ClockCorrected = true };
    }

    /// <summary>The region a V4 refusal names in its text when it has no <c>Region</c> element ("expecting 'us-east-1'").</summary>
    private static string? ExpectedRegionIn(string? message) =>
        message is not null && ExpectingRegion().Match(message) is { Success: true } match ? match.Groups[1].Value : null;

    [GeneratedRegex("expecting '([a-z0-9-]{1,64})'")]
    private static partial Regex ExpectingRegion();

    private static string Headline(string operation, HttpStatusCode status, ServiceError error) =>
        $"{operation} failed with HTTP {(int)status} {SafeText.Printable(error.Code ?? status.ToString())}{MessageOf(error)}.";

    /// <summary>The service's text as <c>: text</c>, or nothing when it gave none.</summary>
    private static string MessageOf(ServiceError error) =>
        error.Message is { Length: > 0 } text ? $": {SafeText.Printable(text).TrimEnd('.', ' ')}" : "";

    private static string Advice(string? code) => code switch
    {
        "AccessDenied" => " Check that the credentials may write to this bucket.",
        "Forbidden" => " The service gave no reason (an answer without a body, e.g. to HEAD): check the access key id and secret, and that they may use this bucket.",
        "InvalidAccessKeyId" => " The access key id is not known to the service.",
        "SignatureDoesNotMatch" => " The secret access key does not match the access key id.",
        "InvalidSecurity" or "InvalidToken" or "ExpiredToken" or "TokenRefreshRequired" => " The security token of the temporary credentials is missing, wrong or expired.",
        "NoSuchBucket" => " Create the bucket first, or check its name and the endpoint's region.",
        "AuthorizationHeaderMalformed" => " The region used for signing is not the bucket's: set Region to the region the message names.",
        _ => "",
    };

    private static string? DefaultCode(HttpStatusCode status) => status switch
    {
        HttpStatusCode.NotFound => "NotFound",
        HttpStatusCode.Forbidden => "Forbidden",
        HttpStatusCode.MovedPermanently => "PermanentRedirect",
        HttpStatusCode.TemporaryRedirect => "TemporaryRedirect",
        _ => null,
    };

    private static string? RedirectTarget(ServiceError error, WireResponse wire) =>
        error.Endpoint is { Length: > 0 } endpoint ? endpoint
        : wire.Properties.Headers.GetValueOrDefault("Location") is { Length: > 0 } location ? location
        : null;

    private static string DescribeRedirect(string operation, HttpStatusCode status, ServiceError error, string? target, Uri endpoint, string? bucketName,
        WireResponse wire)
    {
        var headline = $"{operation}: the service redirected the request (HTTP {(int)status} {SafeText.Printable(error.Code ?? "")}".TrimEnd() + ")";
        const string NotFollowed = " Redirects are not followed, so that no data and no credential goes to a host that was not configured.";
        if (target is not null)
        {
            var suggestion = SuggestEndpoint(target, endpoint, bucketName);
            return $"{headline} to {SafeText.Url(target)}: the endpoint redirected to {suggestion}; set Endpoint to it if you trust it.{NotFollowed}";
        }

        var region = wire.Properties.Headers.GetValueOrDefault("x-amz-bucket-region") ?? wire.Properties.Headers.GetValueOrDefault("x-obs-bucket-location");
        return region is not null
            ? $"{headline}: the bucket is in region {SafeText.Printable(region)}; set Endpoint to that region's endpoint.{NotFollowed}"
            : $"{headline} without saying where: check Endpoint and the bucket's region.{NotFollowed}";
    }

    /// <summary>The endpoint to configure for a redirect target: its scheme, host and port, without the bucket's label
    /// when the target is the bucket's virtual host; a target that is not a valid URL as it came, without its user
    /// info.</summary>
    private static string SuggestEndpoint(string target, Uri endpoint, string? bucketName)
    {
        var text = target.Contains("://", StringComparison.Ordinal) ? target : $"{endpoint.Scheme}://{target}";
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.Host))
        {
            return SafeText.Url(target);
        }

        var host = bucketName is not null && uri.Host.StartsWith(bucketName + ".", StringComparison.OrdinalIgnoreCase)
            ? uri.Host[(bucketName.Length + 1)..]
            : uri.Host;
        return uri.IsDefaultPort ? $"{uri.Scheme}://{host}" : $"{uri.Scheme}://{host}:{uri.Port}";
    }
}
