using System.Text.Json.Serialization;

namespace ObsBuildTasks.Transfer;

/// <summary>
/// What the checkpoint file holds: which upload this is, what it was started with, and the parts known to be done.
/// No credentials, ever. The server stays the record: on resume every part is checked against it.
/// </summary>
internal sealed record CheckpointDocument
{
    /// <summary>The format version this code writes; files of any other version are ignored (and the upload restarted).</summary>
    public const int CurrentVersion = 1;

    public required int Version { get; init; }

    public required string Endpoint { get; init; }

    public required string Bucket { get; init; }

    public required string Key { get; init; }

    public required string UploadId { get; init; }

    public required long PartSize { get; init; }

    public required long FileSize { get; init; }

    public required DateTime FileLastWriteTimeUtc { get; init; }

    /// <summary>SHA-256 of the headers and metadata fixed at Initiate: a resume must not complete with other headers.</summary>
    public required string RequestFingerprint { get; init; }

    /// <summary>Set just before Complete is sent, so a run that lost Complete's answer checks the object first.</summary>
    public bool CompleteRequested { get; init; }

    public required IReadOnlyList<CheckpointPart> Parts { get; init; }
}

/// <summary>A finished part: its number and the MD5 (hex) of its bytes, which is also its ETag.</summary>
internal sealed record CheckpointPart(
    [property: JsonPropertyName("partNumber")] int PartNumber,
    [property: JsonPropertyName("md5")] string Md5);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true)]
[JsonSerializable(typeof(CheckpointDocument))]
internal sealed partial class CheckpointJsonContext : JsonSerializerContext;
