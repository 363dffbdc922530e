namespace ObsBuildTasks.Wire;

/// <summary>What an upload id must look like before it is used in a request or written to a checkpoint.</summary>
internal static class UploadIds
{
    /// <summary>A plain token: 1 to 1024 printable ASCII characters, no space.</summary>
    public static bool IsValid(string? uploadId) => uploadId is { Length: > 0 and <= 1024 } && uploadId.All(c => c is > ' ' and <= '~');
}
