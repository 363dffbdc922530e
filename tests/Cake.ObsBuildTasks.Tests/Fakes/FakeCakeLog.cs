using System.Collections.Concurrent;
using System.Globalization;
using Cake.Core.Diagnostics;

namespace Cake.ObsBuildTasks.Tests.Fakes;

/// <summary>One message as Cake would print it, with the verbosity it needs and its level.</summary>
internal sealed record LogEntry(Verbosity Verbosity, LogLevel Level, string Text);

/// <summary>Keeps every message, whatever its verbosity (the engine writes from several threads).</summary>
internal sealed class FakeCakeLog : ICakeLog
{
    private readonly ConcurrentQueue<LogEntry> _entries = new();

    public Verbosity Verbosity { get; set; } = Verbosity.Diagnostic;

    public IReadOnlyList<LogEntry> Entries => [.. _entries];

    public void Write(Verbosity verbosity, LogLevel level, string format, params object[] args) =>
        _entries.Enqueue(new LogEntry(verbosity, level, string.Format(CultureInfo.InvariantCulture, format, args)));
}
