using ObsBuildTasks.Wire.Signing;

namespace ObsBuildTasks.Wire;

/// <summary>How one bucket is spoken to: the signer (and with it the <c>x-obs-</c> or <c>x-amz-</c> header prefix).</summary>
internal sealed class BucketDialect
{
    private BucketDialect(SignatureType signature, string? region, bool negotiated)
    {
        Signature = signature;
        Region = region;
        Negotiated = negotiated;
        Signer = RequestSigner.Create(signature, region ?? SignatureNegotiator.DefaultRegion);
    }

    public SignatureType Signature { get; }

    /// <summary>The region, for V4.</summary>
    public string? Region { get; }

    /// <summary>Whether the probe chose it (so a region the service names may replace it).</summary>
    public bool Negotiated { get; }

    public RequestSigner Signer { get; }

    public string HeaderPrefix => Signer.HeaderPrefix;

    public static BucketDialect Configured(SignatureType signature, string? region) => new(signature, region, negotiated: false);

    public static BucketDialect Probed(SignatureType signature, string? region) => new(signature, region, negotiated: true);

    /// <summary>The same dialect in another region.</summary>
    public BucketDialect InRegion(string region) => new(Signature, region, Negotiated);
}
