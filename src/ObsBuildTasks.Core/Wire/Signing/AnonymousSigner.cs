namespace ObsBuildTasks.Wire.Signing;

/// <summary>Sends a request without credentials: the protocol probe (<c>HEAD ?apiversion</c>), which services answer
/// unauthenticated.</summary>
internal sealed class AnonymousSigner : RequestSigner
{
    public static AnonymousSigner Instance { get; } = new();

    /// <inheritdoc/>
    public override string HeaderPrefix => "x-obs-";

    /// <inheritdoc/>
    public override void Sign(ObsRequest request, SigningCredentials credentials, DateTimeOffset timestamp)
    {
    }
}
