namespace ObsBuildTasks;

/// <summary>How much a log message matters; front ends map it to their own verbosity.</summary>
public enum ObsLogLevel
{
    /// <summary>Per-request detail: parts sent, reused, retried.</summary>
    Debug,

    /// <summary>Per-file news: started, resumed, finished.</summary>
    Info,

    /// <summary>Something went wrong but the upload goes on: a retry, a damaged checkpoint, a stale upload aborted.</summary>
    Warning,
}
