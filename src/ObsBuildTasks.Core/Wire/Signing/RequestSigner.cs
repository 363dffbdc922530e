namespace ObsBuildTasks.Wire.Signing;

/// <summary>
/// Authenticates an <see cref="ObsRequest"/> by adding the headers its scheme needs (date, security token, payload
/// hash, <c>Authorization</c>). Implementations are stateless and thread-safe; one instance serves every request.
/// </summary>
internal abstract class RequestSigner
{
    /// <summary>The <c>Authorization</c> header name.</summary>
    protected const string AuthorizationHeader = "Authorization";

    /// <summary>
    /// The prefix of the scheme's own headers: <c>x-obs-</c> for OBS, <c>x-amz-</c> for AWS V2 and V4. The engine uses
    /// it to name metadata (<c>{prefix}meta-*</c>), ACL, storage-class and similar headers.
    /// </summary>
    public abstract string HeaderPrefix { get; }

    /// <summary>
    /// Signs <paramref name="request"/> as of <paramref name="timestamp"/>, adding every header the scheme needs to
    /// <see cref="ObsRequest.Headers"/>. Any <c>Authorization</c> header already present is replaced.
    /// </summary>
    public abstract void Sign(ObsRequest request, SigningCredentials credentials, DateTimeOffset timestamp);

    /// <summary>Creates the signer for <paramref name="type"/>; <paramref name="region"/> is used by SigV4 only.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="type"/> is not a defined value.</exception>
    /// <exception cref="ArgumentException"><paramref name="type"/> is V4 and <paramref name="region"/> is blank.</exception>
    public static RequestSigner Create(SignatureType type, string region) => type switch
    {
        SignatureType.Obs => HmacSha1Signer.Obs,
        SignatureType.V2 => HmacSha1Signer.AwsV2,
        SignatureType.V4 => new V4Signer(region),
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Unknown signature type."),
    };
}
