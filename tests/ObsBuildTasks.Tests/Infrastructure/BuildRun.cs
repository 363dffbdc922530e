using Microsoft.Build.Execution;
using Microsoft.Build.Framework;

namespace ObsBuildTasks.MSBuild.Tests.Infrastructure;

/// <summary>What one build of a <see cref="TaskProject"/> did.</summary>
internal sealed class BuildRun
{
    public BuildRun(BuildResult result, RecordingLogger logger)
    {
        Succeeded = result.OverallResult == BuildResultCode.Success;
        Errors = [.. logger.Errors];
        Warnings = [.. logger.Warnings];
        Messages = [.. logger.Messages];
        UploadedFiles = result.ResultsByTarget.TryGetValue(TaskProject.Target, out var target) ? target.Items : [];
    }

    public bool Succeeded { get; }

    public IReadOnlyList<BuildErrorEventArgs> Errors { get; }

    public IReadOnlyList<BuildWarningEventArgs> Warnings { get; }

    public IReadOnlyList<BuildMessageEventArgs> Messages { get; }

    /// <summary>The task's <c>UploadedFiles</c> output.</summary>
    public IReadOnlyList<ITaskItem> UploadedFiles { get; }

    /// <summary>The output item of the file whose item spec ends with <paramref name="name"/>.</summary>
    public ITaskItem Uploaded(string name) => UploadedFiles.Single(item => item.ItemSpec.EndsWith(name, StringComparison.Ordinal));

    /// <summary>Errors and warnings, for assertion messages.</summary>
    public string Describe() => string.Join('\n', Errors.Select(e => $"error {e.Code}: {e.Message}").Concat(Warnings.Select(w => $"warning {w.Code}: {w.Message}")));
}
