using Cake.Core.Diagnostics;
using ObsBuildTasks.FrontEnd;

namespace Cake.ObsBuildTasks;

/// <summary>Writes the core's lines to Cake's log: what users watch at Information (Normal verbosity), context at
/// Verbose, detail at Diagnostic, coded warnings and errors always. Text is written verbatim (never used as a format
/// string). Remembers the errors, for the exception that ends a failed call.</summary>
internal sealed class CakeLogReporter(ICakeLog log) : IUploadReporter
{
    private readonly Lock _lock = new();
    private readonly List<Diagnostic> _errors = [];

    /// <summary>The errors written so far.</summary>
    public IReadOnlyList<Diagnostic> Errors
    {
        get
        {
            lock (_lock)
            {
                return [.. _errors];
            }
        }
    }

    public void Line(LineImportance importance, string text) => Write(importance switch
    {
        LineImportance.High => (Verbosity.Normal, LogLevel.Information),
        LineImportance.Normal => (Verbosity.Verbose, LogLevel.Verbose),
        _ => (Verbosity.Diagnostic, LogLevel.Debug),
    }, text);

    public void Warning(Diagnostic warning) => Write((Verbosity.Minimal, LogLevel.Warning), Format(warning));

    public void Error(Diagnostic error)
    {
        lock (_lock)
        {
            _errors.Add(error);
        }

        Write((Verbosity.Quiet, LogLevel.Error), Format(error));
    }

    /// <summary>A diagnostic as Cake users read it: code, message, and where the code is explained.</summary>
    public static string Format(Diagnostic diagnostic) => $"{diagnostic.Code.Id}: {diagnostic.Message} ({diagnostic.Code.HelpLink})";

    private void Write((Verbosity Verbosity, LogLevel Level) how, string text)
    {
        lock (_lock)
        {
            log.Write(how.Verbosity, how.Level, "{0}", text);
        }
    }
}
