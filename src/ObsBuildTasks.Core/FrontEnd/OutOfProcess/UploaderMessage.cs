using System.Text.Json;
using System.Text.Json.Serialization;

namespace ObsBuildTasks.FrontEnd.OutOfProcess;

/// <summary>What a line the uploader process writes says.</summary>
internal enum UploaderMessageKind
{
    /// <summary>The process runs and waits for its order (its first line).</summary>
    Started,

    /// <summary>A line for the log (<see cref="UploaderMessage.Importance"/>, <see cref="UploaderMessage.Text"/>).</summary>
    Line,

    /// <summary>A coded warning (<see cref="UploaderMessage.Diagnostic"/>).</summary>
    Warning,

    /// <summary>A coded error (<see cref="UploaderMessage.Diagnostic"/>).</summary>
    Error,

    /// <summary>How far a file has come (<see cref="UploaderMessage.Progress"/>), for the front end's callback.</summary>
    Progress,

    /// <summary>How the call went (<see cref="UploaderMessage.Outcomes"/>, <see cref="UploaderMessage.Cancellation"/>):
    /// the last line.</summary>
    Result,
}

/// <summary>One line the uploader process writes to its standard output, as JSON; which members are set depends on
/// <see cref="Kind"/>.</summary>
internal sealed record UploaderMessage(UploaderMessageKind Kind)
{
    public LineImportance? Importance { get; init; }

    public string? Text { get; init; }

    public UploaderDiagnostic? Diagnostic { get; init; }

    public UploaderProgress? Progress { get; init; }

    /// <summary>One per file of the order, in its order; empty when nothing ran.</summary>
    public IReadOnlyList<UploaderOutcome>? Outcomes { get; init; }

    public UploaderDiagnostic? Cancellation { get; init; }

    /// <summary>The text of the one line the message is sent as.</summary>
    public string ToLine() => JsonSerializer.Serialize(this, UploaderJsonContext.Default.UploaderMessage);

    /// <summary>The message a line holds, or <see langword="null"/> for a line that is not one (something else that wrote
    /// to the process's output).</summary>
    public static UploaderMessage? Parse(string line)
    {
        try
        {
            return JsonSerializer.Deserialize(line, UploaderJsonContext.Default.UploaderMessage);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

/// <summary>A coded warning or error, as <see cref="ObsBuildTasks.FrontEnd.Diagnostic"/> holds it.</summary>
internal sealed record UploaderDiagnostic(string Code, string Message, string? File)
{
    public static UploaderDiagnostic From(Diagnostic diagnostic) => new(diagnostic.Code.Id, diagnostic.Message, diagnostic.File);

    public Diagnostic ToDiagnostic() => new(new DiagnosticCode(Code), Message, File);
}

/// <summary>A <see cref="FileProgressEvent"/> of the file at <paramref name="File"/> (its index in the order).</summary>
internal sealed record UploaderProgress(int File, long TransferredBytes, long TotalBytes, double BytesPerSecond, double ElapsedSeconds);

/// <summary>How one file went: its result, or <see langword="null"/> when it failed (the failure was sent as an error).</summary>
internal sealed record UploaderOutcome(CompleteMultipartUploadResult? Result);

/// <summary>The JSON of orders and messages, generated at build time (the uploader is compiled ahead of time and cannot
/// use reflection). Enums are written by name; floating-point values may be infinite.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, UseStringEnumConverter = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    RespectNullableAnnotations = true)]
[JsonSerializable(typeof(UploadOrder))]
[JsonSerializable(typeof(UploaderMessage))]
internal sealed partial class UploaderJsonContext : JsonSerializerContext;
