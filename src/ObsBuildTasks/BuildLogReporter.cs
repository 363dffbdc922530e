using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;
using ObsBuildTasks.FrontEnd;

namespace ObsBuildTasks.MSBuild;

/// <summary>Writes the core's lines to the build log: each with its importance, errors and warnings with their code and
/// help link, located at the task in the project file. Serialised: the engine reports from many threads. In the build of
/// one framework of a multi-targeted project, a checkpoint held by another upload is explained as what it then is: the
/// same upload running once per framework.</summary>
internal sealed class BuildLogReporter(TaskLoggingHelper log, IBuildEngine engine) : IUploadReporter
{
    /// <summary>The target framework when this is the inner build of a multi-targeted project.</summary>
    private readonly string? _innerBuildFramework = (engine as IBuildEngine6)?.GetGlobalProperties().GetValueOrDefault("TargetFramework");

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
        var message = error.Code == DiagnosticCode.CheckpointInUse && _innerBuildFramework is { } framework
            ? $"{error.Message} This task runs in the build of target framework {framework}, so a multi-targeted project runs it once per framework: upload from the outer build instead (ObsUploadAfterBuild=true or the ObsUploadArtifacts target, which run once per project)."
            : error.Message;
        lock (_lock)
        {
            log.LogError(null, error.Code.Id, null, error.Code.HelpLink, engine.ProjectFileOfTaskNode, engine.LineNumberOfTaskNode,
                engine.ColumnNumberOfTaskNode, 0, 0, "{0}", message);
        }
    }
}
