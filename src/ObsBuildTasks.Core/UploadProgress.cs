namespace ObsBuildTasks;

/// <summary>How far an upload has come (OBS's progress callback).</summary>
/// <param name="TransferredBytes">Bytes of the file that are on the server, including parts reused from a checkpoint.
/// Never decreases and never exceeds <paramref name="TotalBytes"/>.</param>
/// <param name="TotalBytes">The size of the file.</param>
/// <param name="ElapsedSeconds">Seconds since the upload call started.</param>
public readonly record struct UploadProgress(long TransferredBytes, long TotalBytes, double ElapsedSeconds);
