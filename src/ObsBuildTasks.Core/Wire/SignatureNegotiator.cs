using System.Collections.Concurrent;
using System.Globalization;
using ObsBuildTasks.Wire.Signing;

namespace ObsBuildTasks.Wire;

/// <summary>
/// Decides, once per bucket and client, how requests are signed. A configured signature is used as is. With
/// <see cref="SignatureType.Auto"/>, as Huawei's SDKs do, one unauthenticated <c>HEAD ?apiversion</c> asks the service:
/// <c>x-obs-api: 3.0</c> (or later) means the OBS signature; anything else an S3-compatible store, spoken to with V4 in
/// the region configured, else the one the answer names (<c>x-amz-bucket-region</c>), else us-east-1.
/// </summary>
internal sealed class SignatureNegotiator(RequestExecutor executor, SignatureType configured, string? region, Action<UploadEvent> publish)
{
    public const string DefaultRegion = "us-east-1";
    private const string ProbeOperation = "ProtocolProbe";

    private readonly ConcurrentDictionary<string, Lazy<Task<BucketDialect>>> _dialects = new(StringComparer.Ordinal);

    /// <summary>The dialect of <paramref name="bucketName"/>, probing once when negotiating.</summary>
    public Task<BucketDialect> ForBucketAsync(string bucketName, CancellationToken cancellationToken) =>
        _dialects.GetOrAdd(bucketName, name => new(() => DecideAsync(name, cancellationToken))).Value;

    /// <summary>Adopts the region a V4 refusal named (<c>AuthorizationHeaderMalformed</c>) when the region was not
    /// configured; false when there is nothing to change.</summary>
    public bool AdoptRegion(string bucketName, BucketDialect current, string? expectedRegion)
    {
        if (region is not null || !current.Negotiated || current.Signature != SignatureType.V4 || expectedRegion is not { Length: > 0 }
            || expectedRegion == current.Region || !IsRegionName(expectedRegion))
        {
            return false;
        }

        var corrected = current.InRegion(expectedRegion);
        _dialects[bucketName] = new(Task.FromResult(corrected));
        publish(new SignatureChosenEvent(bucketName, SignatureType.V4, expectedRegion,
            $"the service refused region {current.Region} and named {expectedRegion}"));
        return true;
    }

    /// <summary>When a configured signature was refused, what the protocol probe says the service speaks instead:
    /// a sentence for the error message, or <see langword="null"/> when the probe agrees or cannot tell.</summary>
    public async Task<string?> ExplainRefusalAsync(string bucketName, CancellationToken cancellationToken)
    {
        if (configured == SignatureType.Auto)
        {
            return null;
        }

        try
        {
            var speaksObs = (await ProbeAsync(bucketName, cancellationToken).ConfigureAwait(false)).SpeaksObs;
            return (speaksObs, configured) switch
            {
                (true, not SignatureType.Obs) =>
                    $" The service speaks the OBS protocol (it answers the protocol probe with x-obs-api), not {configured}: set Signature to Obs or Auto.",
                (false, SignatureType.Obs) =>
                    " The service does not speak the OBS protocol (no x-obs-api in its answer to the protocol probe): it is S3-compatible, so set Signature to V4 or Auto.",
                _ => null,
            };
        }
        catch (ObsException)
        {
            return null;
        }
    }

    private async Task<BucketDialect> DecideAsync(string bucketName, CancellationToken cancellationToken)
    {
        if (configured != SignatureType.Auto)
        {
            var dialect = BucketDialect.Configured(configured, configured == SignatureType.V4 ? region ?? DefaultRegion : null);
            publish(new SignatureChosenEvent(bucketName, configured, dialect.Region, "configured"));
            return dialect;
        }

        try
        {
            var probe = await ProbeAsync(bucketName, cancellationToken).ConfigureAwait(false);
            var chosen = probe.SpeaksObs
                ? BucketDialect.Probed(SignatureType.Obs, null)
                : BucketDialect.Probed(SignatureType.V4, region ?? probe.Region ?? DefaultRegion);
            publish(new SignatureChosenEvent(bucketName, chosen.Signature, chosen.Region, Reason(probe, chosen)));
            return chosen;
        }
        catch
        {
            // A failed probe is not remembered: the next call asks again.
            _dialects.TryRemove(bucketName, out _);
            throw;
        }
    }

    private string Reason(ProbeAnswer probe, BucketDialect chosen)
    {
        if (probe.SpeaksObs)
        {
            return $"the service answered the protocol probe with x-obs-api: {probe.ApiVersion}";
        }

        var regionSource = region is not null ? "configured" : probe.Region is not null ? "named by the service" : "the default";
        return $"the service's answer to the protocol probe (HTTP {probe.Status}) has no x-obs-api, so it is S3-compatible; region {chosen.Region} is {regionSource}";
    }

    private Task<ProbeAnswer> ProbeAsync(string bucketName, CancellationToken cancellationToken) =>
        executor.ExecuteAsync(new WireCall<ProbeAnswer>(ProbeOperation, AnonymousSigner.Instance, () =>
        {
            var request = executor.Endpoint.CreateRequest(HttpMethod.Head, bucketName, null);
            request.Query["apiversion"] = null;
            return request;
        }, answer => ProbeAnswer.From(answer))
        {
            AcceptsStatus = status => (int)status < 500,
        }, (cause, attempt, delay) => publish(new RequestRetriedEvent(null, ProbeOperation, null, cause, attempt, delay)), cancellationToken);

    private static bool IsRegionName(string name) => name.Length <= 64 && name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-');

    private sealed record ProbeAnswer(int Status, string? ApiVersion, string? Region)
    {
        public bool SpeaksObs => double.TryParse(ApiVersion, NumberStyles.Float, CultureInfo.InvariantCulture, out var version) && version >= 3.0;

        public static ProbeAnswer From(WireAnswer answer)
        {
            var headers = answer.Response.Properties.Headers;
            var region = headers.GetValueOrDefault("x-amz-bucket-region");
            return new ProbeAnswer((int)answer.Status, headers.GetValueOrDefault("x-obs-api"), region is not null && IsRegionName(region) ? region : null);
        }
    }
}
