using System.Text;

namespace ObsBuildTasks.FrontEnd.OutOfProcess;

/// <summary>The uploader process's side of the conversation: writes each message as one line of its standard output,
/// flushed at once, one line at a time from any thread. As the reporter of the upload, it sends the narrated lines,
/// warnings and errors back to the front end, which writes them to its log.</summary>
internal sealed class UploaderMessageWriter(Stream output) : IUploadReporter
{
    private readonly Lock _lock = new();

    public void Line(LineImportance importance, string text) => Write(new UploaderMessage(UploaderMessageKind.Line) { Importance = importance, Text = text });

    public void Warning(Diagnostic warning) =>
        Write(new UploaderMessage(UploaderMessageKind.Warning) { Diagnostic = UploaderDiagnostic.From(warning) });

    public void Error(Diagnostic error) => Write(new UploaderMessage(UploaderMessageKind.Error) { Diagnostic = UploaderDiagnostic.From(error) });

    public void Write(UploaderMessage message)
    {
        var line = Encoding.UTF8.GetBytes(message.ToLine() + "\n");
        lock (_lock)
        {
            try
            {
                output.Write(line);
                output.Flush();
            }
            catch (IOException)
            {
                // The front end is gone (its end of the pipe is closed); the end of the input cancels the upload.
            }
        }
    }
}
