using System.Collections.Concurrent;
using Microsoft.Build.Framework;

namespace ObsBuildTasks.MSBuild.Tests.Infrastructure;

/// <summary>Keeps every message, warning and error of a build, and tells a watcher about each message as it comes.</summary>
internal sealed class RecordingLogger : ILogger
{
    private readonly Action<string>? _onMessage;

    public RecordingLogger(Action<string>? onMessage) => _onMessage = onMessage;

    public ConcurrentQueue<BuildMessageEventArgs> Messages { get; } = new();

    public ConcurrentQueue<BuildWarningEventArgs> Warnings { get; } = new();

    public ConcurrentQueue<BuildErrorEventArgs> Errors { get; } = new();

    public LoggerVerbosity Verbosity { get; set; } = LoggerVerbosity.Diagnostic;

    public string? Parameters { get; set; }

    public void Initialize(IEventSource eventSource)
    {
        eventSource.MessageRaised += (_, message) =>
        {
            Messages.Enqueue(message);
            _onMessage?.Invoke(message.Message ?? "");
        };
        eventSource.WarningRaised += (_, warning) => Warnings.Enqueue(warning);
        eventSource.ErrorRaised += (_, error) => Errors.Enqueue(error);
    }

    public void Shutdown()
    {
    }
}
