using Microsoft.Build.Evaluation;
using Microsoft.Build.Execution;
using Microsoft.Build.Framework;
using Microsoft.Build.Logging;

namespace ObsBuildTasks.MSBuild.Tests.Infrastructure;

/// <summary>How to run one build.</summary>
internal sealed record BuildSettings
{
    /// <summary>Process environment for the build (null removes a variable); restored afterwards.</summary>
    public required IReadOnlyDictionary<string, string?> Environment { get; init; }

    /// <summary>Cancels the build (as Ctrl+C would) once a message satisfies this.</summary>
    public Func<string, bool>? CancelWhen { get; init; }

    /// <summary>Also writes a binary log here, at diagnostic verbosity and with task inputs, as <c>-bl</c> does.</summary>
    public string? BinaryLogPath { get; init; }

    public IDictionary<string, string?> GlobalProperties { get; init; } = new Dictionary<string, string?>();
}

/// <summary>Builds a project in this process through the SDK's MSBuild (a real BuildManager, in-process node).</summary>
internal static class ProjectBuilder
{
    public static async Task<BuildRun> BuildAsync(TaskProject project, BuildSettings settings)
    {
        // The environment first: the project collection and the build parameters take their snapshot of it.
        using var environment = new EnvironmentScope(settings.Environment);
        var cancelRequested = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var logger = new RecordingLogger(settings.CancelWhen is { } cancelWhen ? text =>
        {
            if (cancelWhen(text))
            {
                cancelRequested.TrySetResult();
            }
        } : null);
        List<ILogger> loggers = [logger];
        if (settings.BinaryLogPath is not null)
        {
            loggers.Add(new BinaryLogger { Parameters = settings.BinaryLogPath, Verbosity = LoggerVerbosity.Diagnostic });
        }

        using var collection = new ProjectCollection();
        var parameters = new BuildParameters(collection)
        {
            Loggers = loggers,
            MaxNodeCount = 1,
            EnableNodeReuse = false,
            // As -bl does: every task input goes into the binary log.
            LogTaskInputs = settings.BinaryLogPath is not null,
        };
        using var manager = new BuildManager(nameof(ProjectBuilder));
        manager.BeginBuild(parameters);
        BuildResult result;
        try
        {
            var submission = manager.PendBuildRequest(new BuildRequestData(project.ProjectPath, settings.GlobalProperties, null, [TaskProject.Target], null));
            var finished = new TaskCompletionSource<BuildResult>(TaskCreationOptions.RunContinuationsAsynchronously);
            submission.ExecuteAsync(done => finished.SetResult(done.BuildResult!), null);
            if (await Task.WhenAny(cancelRequested.Task, finished.Task) == cancelRequested.Task)
            {
                manager.CancelAllSubmissions();
            }

            result = await finished.Task;
        }
        finally
        {
            // Waits for the task to return and every event to reach the loggers (a cancelled submission ends earlier).
            manager.EndBuild();
        }

        return new BuildRun(result, logger);
    }
}
