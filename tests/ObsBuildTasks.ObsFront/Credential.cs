namespace ObsBuildTasks.ObsFront;

/// <summary>An access key the front accepts.</summary>
/// <param name="AccessKeyId">The access key id (the <c>AK</c> of <c>Authorization: OBS AK:signature</c>).</param>
/// <param name="SecretAccessKey">The secret the signature is made with.</param>
/// <param name="SecurityToken">For temporary credentials, the <c>x-obs-security-token</c> every request must carry;
/// <see langword="null"/> for a permanent key, which takes no token.</param>
public sealed record Credential(string AccessKeyId, string SecretAccessKey, string? SecurityToken);
