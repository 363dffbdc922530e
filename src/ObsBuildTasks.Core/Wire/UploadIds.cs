namespace ObsBuildTasks.Wire;

/// <summary>What an upload id must look like before it is used in a request or written to a checkpoint.</summary>
internal static class UploadIds
{
    /// <summary>A plain token: 1 to 1024 ASCII letters, digits and <c>-._~=+/</c> (what OBS's hex ids and the base64 and
    /// URL-safe ids of S3 stores are made of; it only ever travels percent-encoded in a query); never a query, a
    /// fragment, an escape, a quote or a space.</summary>
    public static bool IsValid(string? uploadId) =>
        uploadId is { Length: > 0 and <= 1024 } && uploadId.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_' or '~' or '=' or '+' or '/');
}
