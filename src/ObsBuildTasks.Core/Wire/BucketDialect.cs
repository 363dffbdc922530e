using ObsBuildTasks.Wire.Signing;

namespace ObsBuildTasks.Wire;

/// <summary>How one bucket is spoken to: the signer (and with it the <c>x-obs-</c> or <c>x-amz-</c> header prefix).</summary>
/// <param name="Signature">The signature.</param>
/// <param name="Region">The region, for V4.</param>
/// <param name="Negotiated">Whether the probe chose it (so a region the service names may replace it).</param>
internal sealed record BucketDialect(SignatureType Signature, string? Region, bool Negotiated)
{
    public RequestSigner Signer { get; } = RequestSigner.Create(Signature, Region ?? SignatureNegotiator.DefaultRegion);

    public string HeaderPrefix => Signer.HeaderPrefix;
}
