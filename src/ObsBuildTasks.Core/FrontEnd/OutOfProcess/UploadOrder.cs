namespace ObsBuildTasks.FrontEnd.OutOfProcess;

/// <summary>
/// What the front end asks of the uploader process: one call, as the front end gathered it. The uploader prepares it
/// again from exactly these values (the front end has already found it valid), so both sides agree on every key,
/// checkpoint and display name.
/// </summary>
/// <param name="Settings">The call's settings (without the progress callback, which stays in the front end).</param>
/// <param name="Files">The files, in the order given.</param>
/// <param name="BaseFolder">What relative paths are relative to.</param>
/// <param name="Environment">Every environment variable the front end read while preparing the call, with the value it
/// read (<see langword="null"/> for unset): the uploader reads these and nothing else, so a variable that Cake or MSBuild
/// set for this project only means the same there.</param>
/// <param name="ReportProgress">Whether to send each file's progress back (the front end has a progress callback).</param>
internal sealed record UploadOrder(UploadSettings Settings, IReadOnlyList<UploadFileSpec> Files, string BaseFolder,
    IReadOnlyDictionary<string, string?> Environment, bool ReportProgress);
