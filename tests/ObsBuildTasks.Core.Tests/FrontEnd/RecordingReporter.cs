using ObsBuildTasks.FrontEnd;

namespace ObsBuildTasks.Tests.FrontEnd;

/// <summary>Keeps what a front end would write to its log; called from any thread.</summary>
internal sealed class RecordingReporter : IUploadReporter
{
    private readonly Lock _lock = new();
    private readonly List<(LineImportance Importance, string Text)> _lines = [];
    private readonly List<Diagnostic> _warnings = [];
    private readonly List<Diagnostic> _errors = [];
    private readonly List<(Func<string, bool> Matches, TaskCompletionSource Seen)> _awaited = [];

    public IReadOnlyList<(LineImportance Importance, string Text)> Lines => Copy(_lines);

    public IReadOnlyList<Diagnostic> Warnings => Copy(_warnings);

    public IReadOnlyList<Diagnostic> Errors => Copy(_errors);

    public void Line(LineImportance importance, string text)
    {
        lock (_lock)
        {
            _lines.Add((importance, text));
            foreach (var awaited in _awaited.Where(awaited => awaited.Matches(text)))
            {
                awaited.Seen.TrySetResult();
            }
        }
    }

    public void Warning(Diagnostic warning)
    {
        lock (_lock)
        {
            _warnings.Add(warning);
        }
    }

    public void Error(Diagnostic error)
    {
        lock (_lock)
        {
            _errors.Add(error);
        }
    }

    /// <summary>Completes when a line that <paramref name="matches"/> has been written (or already was).</summary>
    public Task WhenLineAsync(Func<string, bool> matches)
    {
        lock (_lock)
        {
            var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            if (_lines.Any(line => matches(line.Text)))
            {
                seen.SetResult();
            }

            _awaited.Add((matches, seen));
            return seen.Task;
        }
    }

    private List<T> Copy<T>(List<T> items)
    {
        lock (_lock)
        {
            return [.. items];
        }
    }
}
