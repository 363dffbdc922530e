namespace ObsBuildTasks.FrontEnd;

/// <summary>How much a line matters; each front end maps it to its own verbosity (MSBuild importance, Cake verbosity).</summary>
internal enum LineImportance
{
    /// <summary>What users look at during an upload (start and end of each file, progress, totals): shown by default.</summary>
    High,

    /// <summary>Context: which signature was chosen, where checkpoints are.</summary>
    Normal,

    /// <summary>Detail for diagnosis.</summary>
    Low,
}

/// <summary>Where the front-end core writes: one implementation per front end. Called from any thread, one call at a
/// time; text never holds a credential or a carriage return.</summary>
internal interface IUploadReporter
{
    void Line(LineImportance importance, string text);

    void Warning(Diagnostic warning);

    void Error(Diagnostic error);
}
