namespace ObsBuildTasks.FrontEnd;

/// <summary>
/// The caller's own progress callback (Cake's <c>OnProgress</c>), called so that it can never break an upload: if it
/// throws, the first failure of the call is the coded warning <c>OBS0046</c> (like the engine's own
/// <c>ProgressCallback</c>), later ones are not reported, and the upload and its progress lines go on.
/// </summary>
/// <param name="onProgress">The callback, or <see langword="null"/>.</param>
/// <param name="warn">Where the warning goes.</param>
internal sealed class ProgressCallback(Action<FileProgressEvent>? onProgress, Action<Diagnostic> warn)
{
    private int _failed;

    /// <summary>Tells the callback how far a file has come.</summary>
    public void Invoke(FileProgressEvent progress)
    {
        try
        {
            onProgress?.Invoke(progress);
        }
#pragma warning disable CA1031 // The callback is the caller's code: whatever it throws must not break the narration.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            if (Interlocked.Exchange(ref _failed, 1) == 0)
            {
                warn(new Diagnostic(DiagnosticCode.ProgressCallbackFailed,
                    $"OnProgress failed with {exception.GetType().Name}: \"{exception.Message}\". The upload goes on; later failures of OnProgress in this call are not reported.",
                    progress.Request.UploadFile));
            }
        }
    }
}
