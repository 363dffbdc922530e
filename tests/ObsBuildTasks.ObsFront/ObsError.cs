using System.Xml.Linq;

namespace ObsBuildTasks.ObsFront;

/// <summary>An error the front answers itself, in OBS's form: <c>&lt;Error&gt;&lt;Code/&gt;&lt;Message/&gt;&lt;RequestId/&gt;&lt;HostId/&gt;&lt;/Error&gt;</c>.</summary>
/// <param name="StatusCode">The HTTP status.</param>
/// <param name="Code">The OBS error code, e.g. <c>SignatureDoesNotMatch</c>.</param>
/// <param name="Message">What went wrong, for a person.</param>
public sealed record ObsError(int StatusCode, string Code, string Message)
{
    /// <summary>For <c>SignatureDoesNotMatch</c>: the string the front signed, so a client can compare it with its own.</summary>
    public string? StringToSign { get; init; }

    /// <summary>403 <c>AccessDenied</c>.</summary>
    public static ObsError AccessDenied(string message) => new(403, "AccessDenied", message);

    /// <summary>403 <c>InvalidAccessKeyId</c>.</summary>
    public static ObsError InvalidAccessKeyId(string accessKeyId) =>
        new(403, "InvalidAccessKeyId", $"The access key id {accessKeyId} does not exist.");

    /// <summary>403 <c>RequestTimeTooSkewed</c>.</summary>
    public static ObsError RequestTimeTooSkewed(DateTimeOffset requestTime, DateTimeOffset serverTime) =>
        new(403, "RequestTimeTooSkewed", $"The difference between the request time ({requestTime:r}) and the server's time ({serverTime:r}) is too large.");

    /// <summary>403 <c>SignatureDoesNotMatch</c>.</summary>
    public static ObsError SignatureDoesNotMatch(string stringToSign) =>
        new(403, "SignatureDoesNotMatch", "The request signature we calculated does not match the signature you provided. Check your key and signing method.")
        {
            StringToSign = stringToSign,
        };

    /// <summary>400 <c>InvalidURI</c>.</summary>
    public static ObsError InvalidUri(string rawTarget) => new(400, "InvalidURI", $"Could not parse the request target {rawTarget}.");

    /// <summary>503 <c>ServiceUnavailable</c>: the store behind the front did not answer.</summary>
    public static ObsError StoreUnavailable(string reason) => new(503, "ServiceUnavailable", "The store did not answer: " + reason);

    /// <summary>The XML body.</summary>
    public string ToXml(string requestId, string hostId)
    {
        var error = new XElement("Error",
            new XElement("Code", Code),
            new XElement("Message", Message),
            new XElement("RequestId", requestId),
            new XElement("HostId", hostId),
            StringToSign is null ? null : new XElement("StringToSign", StringToSign));
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + error.ToString(SaveOptions.DisableFormatting);
    }
}
