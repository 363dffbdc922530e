using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;
using ObsBuildTasks.FrontEnd;

namespace ObsBuildTasks.MSBuild;

/// <summary>Writes the core's lines to the build log: each with its importance, errors and warnings with their code and
/// help link, located at the task in the project file. Serialised: the engine reports from many threads.</summary>
internal sealed class BuildLogReporter(TaskLoggingHelper log, IBuildEngine engine) : IUploadReporter
{
    private readonly Lock _lock = new();

    public void Line(LineImportance importance, string text)
    {
        lock (_lock)
        {
            log.LogMessage(importance switch
            {
                LineImportance.High => MessageImportance.High,
                LineImportance.Normal => MessageImportance.Normal,
                _ => MessageImportance.Low,
            }, "{0}", text);
        }
    }

    public void Warning(Diagnostic warning)
    {
        lock (_lock)
        {
            log.LogWarning(null, warning.Code.Id, null, warning.Code.HelpLink, engine.ProjectFileOfTaskNode, engine.LineNumberOfTaskNode,
                engine.ColumnNumberOfTaskNode, 0, 0, "{0}", warning.Message);
        }
    }

    public void Error(Diagnostic error)
    {
        lock (_lock)
        {
            log.LogError(null, error.Code.Id, null, error.Code.HelpLink, engine.ProjectFileOfTaskNode, engine.LineNumberOfTaskNode,
                engine.ColumnNumberOfTaskNode, 0, 0, "{0}", error.Message);
        }
    }
}
