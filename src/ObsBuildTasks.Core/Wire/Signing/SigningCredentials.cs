using System.Text;

namespace ObsBuildTasks.Wire.Signing;

/// <summary>
/// The access key pair (and, for temporary credentials, the security token) a request is signed with.
/// <see cref="object.ToString"/> prints the access key id only, so the record is safe to log.
/// </summary>
/// <param name="AccessKeyId">The access key id (AK), sent in the clear in the <c>Authorization</c> header.</param>
/// <param name="SecretAccessKey">The secret access key (SK); never sent and never printed.</param>
/// <param name="SecurityToken">The STS security token of temporary credentials, or <see langword="null"/>.</param>
internal sealed record SigningCredentials(string AccessKeyId, string SecretAccessKey, string? SecurityToken)
{
    private const string Redacted = "***";

    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("AccessKeyId = ").Append(AccessKeyId)
            .Append(", SecretAccessKey = ").Append(Redacted)
            .Append(", SecurityToken = ").Append(SecurityToken is null ? "null" : Redacted);
        return true;
    }
}
