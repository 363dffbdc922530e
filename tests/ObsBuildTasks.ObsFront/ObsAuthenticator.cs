using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace ObsBuildTasks.ObsFront;

/// <summary>The outcome of <see cref="ObsAuthenticator.Authenticate"/>.</summary>
/// <param name="AccessKeyId">The access key id the request named (for the log), if any.</param>
/// <param name="Error">Why the request is refused, or <see langword="null"/> when it is accepted.</param>
public sealed record Authentication(string? AccessKeyId, ObsError? Error);

/// <summary>
/// Accepts a request only when it carries <c>Authorization: OBS AK:signature</c> for a known access key, a
/// <c>Date</c> or <c>x-obs-date</c> within 15 minutes of the server's clock, the signature of its StringToSign, and
/// exactly the key's security token (none for a permanent key).
/// </summary>
public sealed class ObsAuthenticator(IReadOnlyDictionary<string, Credential> credentials)
{
    private const string Scheme = "OBS ";

    /// <summary>The largest difference between the request's time and the server's that is accepted.</summary>
    public static TimeSpan MaxClockSkew { get; } = TimeSpan.FromMinutes(15);

    /// <summary>Checks a request's credentials at time <paramref name="now"/>.</summary>
    public Authentication Authenticate(string method, RequestTarget target, IHeaderDictionary headers, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(headers);
        var authorization = headers.Authorization.ToString();
        if (authorization.Length == 0)
        {
            return new(null, ObsError.AccessDenied("Anonymous access is not allowed: the request has no Authorization header."));
        }

        var colon = authorization.LastIndexOf(':');
        if (!authorization.StartsWith(Scheme, StringComparison.Ordinal) || colon < Scheme.Length)
        {
            return new(null, ObsError.AccessDenied("The Authorization header is not 'OBS AccessKeyId:Signature'."));
        }

        var accessKeyId = authorization[Scheme.Length..colon];
        return new(accessKeyId, Check(accessKeyId, authorization[(colon + 1)..], method, target, headers, now));
    }

    private ObsError? Check(string accessKeyId, string signature, string method, RequestTarget target, IHeaderDictionary headers, DateTimeOffset now)
    {
        if (!credentials.TryGetValue(accessKeyId, out var credential))
        {
            return ObsError.InvalidAccessKeyId(accessKeyId);
        }

        var date = headers.TryGetValue(ObsStringToSign.HeaderPrefix + "date", out var obsDate) ? obsDate : headers.Date;
        if (!HttpDate.TryParse(date.ToString(), out var requestTime))
        {
            return ObsError.AccessDenied("The request needs a valid Date or x-obs-date header.");
        }

        if ((now - requestTime).Duration() > MaxClockSkew)
        {
            return ObsError.RequestTimeTooSkewed(requestTime, now);
        }

        var stringToSign = ObsStringToSign.Build(method, target, headers);
        if (!SecretEquals(ObsStringToSign.Sign(stringToSign, credential.SecretAccessKey), signature))
        {
            return ObsError.SignatureDoesNotMatch(stringToSign);
        }

        var token = headers[ObsStringToSign.HeaderPrefix + "security-token"].ToString();
        if (!SecretEquals(credential.SecurityToken ?? "", token))
        {
            return ObsError.AccessDenied(credential.SecurityToken is null
                ? "A permanent access key takes no security token."
                : "The security token of these temporary credentials is missing or wrong.");
        }

        return null;
    }

    private static bool SecretEquals(string expected, string actual) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(expected), Encoding.UTF8.GetBytes(actual));
}
