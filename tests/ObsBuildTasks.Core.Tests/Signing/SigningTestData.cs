using ObsBuildTasks.Wire.Signing;

namespace ObsBuildTasks.Tests.Signing;

/// <summary>The example key pair used by the OBS vectors in obs-protocol.md and by AWS's S3 SigV4 examples.</summary>
internal static class SigningTestData
{
    public const string AccessKeyId = "AKIAIOSFODNN7EXAMPLE";

    public const string SecretAccessKey = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

    public static SigningCredentials Credentials { get; } = new(AccessKeyId, SecretAccessKey, SecurityToken: null);

    public static SigningCredentials TemporaryCredentials(string token) => new(AccessKeyId, SecretAccessKey, token);
}
