using System.Text.Json.Serialization;
using ObsBuildTasks.Wire;

namespace ObsBuildTasks.Transfer;

/// <summary>
/// What the checkpoint file holds: which upload this is, what it was started with, and the parts this client saw the
/// server accept. No credentials, ever, and only values that were checked. It is a pointer, not the truth: on resume the
/// server lists the upload's parts and each is kept only if it matches the file's bytes, hashed afresh.
/// </summary>
internal sealed record CheckpointDocument
{
    /// <summary>The format version this code writes; files of any other version are not used (the upload restarts).</summary>
    public const int CurrentVersion = 2;

    public required int Version { get; init; }

    public required string Endpoint { get; init; }

    public required string Bucket { get; init; }

    public required string Key { get; init; }

    public required string UploadId { get; init; }

    public required long PartSize { get; init; }

    public required long FileSize { get; init; }

    /// <summary>SHA-256 of the headers and metadata fixed at Initiate: a resume must not complete with other headers.</summary>
    public required string RequestFingerprint { get; init; }

    /// <summary>Set just before Complete is sent, so a run that lost Complete's answer checks the object first.</summary>
    public bool CompleteRequested { get; init; }

    public required IReadOnlyList<CheckpointPart> Parts { get; init; }

    /// <summary>What is wrong with a document read from disk, or <see langword="null"/> when it can be used.</summary>
    public string? Problem() =>
        Version != CurrentVersion ? $"it has format version {Version}, this version reads {CurrentVersion}"
        : string.IsNullOrEmpty(Endpoint) || string.IsNullOrEmpty(Bucket) || string.IsNullOrEmpty(Key) || string.IsNullOrEmpty(RequestFingerprint)
            ? "a required value is missing"
        : !UploadIds.IsValid(UploadId) ? "its upload id is not a plain token"
        : PartSize < 1 || FileSize < 0 ? "its sizes are out of range"
        : Parts is null || Parts.Any(part => part is null || part.PartNumber is < 1 or > UploadFileRequest.MaxPartCount || !ETags.IsMd5(part.Md5))
            ? "a recorded part is not a part number with an MD5"
        : null;
}

/// <summary>A part the server accepted: its number and the MD5 (hex) of its bytes, which is also its ETag.</summary>
internal sealed record CheckpointPart(
    [property: JsonPropertyName("partNumber")] int PartNumber,
    [property: JsonPropertyName("md5")] string Md5);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true)]
[JsonSerializable(typeof(CheckpointDocument))]
internal sealed partial class CheckpointJsonContext : JsonSerializerContext;
