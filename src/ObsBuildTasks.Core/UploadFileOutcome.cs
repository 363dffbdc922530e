namespace ObsBuildTasks;

/// <summary>How one file of <see cref="ObsClient.UploadFilesAsync"/> went: a result or an error, never both.</summary>
/// <param name="Request">The request.</param>
/// <param name="Result">The completed upload, or <see langword="null"/> when it failed.</param>
/// <param name="Error">Why it failed, or <see langword="null"/> when it succeeded.</param>
public sealed record UploadFileOutcome(UploadFileRequest Request, CompleteMultipartUploadResult? Result, ObsException? Error)
{
    /// <summary>Whether the file is on the server.</summary>
    public bool Succeeded => Result is not null;
}
