using System.Text.Json.Serialization;

namespace ObsBuildTasks.FrontEnd;

/// <summary>
/// Everything a front end gathers for one upload call (MSBuild task parameters, Cake settings), in one shape. Text
/// values are kept as the user wrote them so that one validation serves both front ends; unset values fall back to the
/// environment (<see cref="UploadEnvironment"/>) and to the engine's defaults.
/// </summary>
internal sealed record UploadSettings
{
    /// <summary>The default of <see cref="HeartbeatSeconds"/>.</summary>
    public const int DefaultHeartbeatSeconds = 15;

    public required string Bucket { get; init; }

    /// <summary>The endpoint; <see langword="null"/> or blank reads <c>OBS_ENDPOINT</c>.</summary>
    public string? Endpoint { get; init; }

    /// <summary>Explicit credentials (Cake only; the MSBuild task takes none, binlogs record task parameters).</summary>
    public string? AccessKeyId { get; init; }

    public string? SecretAccessKey { get; init; }

    public string? SecurityToken { get; init; }

    /// <summary>Put before each file's relative path to make its key.</summary>
    public string? ObjectKeyPrefix { get; init; }

    /// <summary>Files under this folder keep their path below it in their key (like MSBuild's <c>%(RecursiveDir)</c>).</summary>
    public string? BaseDirectory { get; init; }

    public long PartSize { get; init; } = UploadFileRequest.DefaultPartSize;

    public int TaskNum { get; init; } = 1;

    public bool EnableCheckpoint { get; init; } = true;

    /// <summary>Where checkpoints live; relative to the front end's base folder. Default <c>obj/obs</c>.</summary>
    public string? CheckpointDirectory { get; init; }

    public bool CheckSum { get; init; }

    /// <summary>User metadata as pairs.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; init; } = new Dictionary<string, string>();

    /// <summary>User metadata as <c>name=value;name2=value2</c> (the MSBuild form); added to <see cref="Metadata"/>.</summary>
    public string? MetadataText { get; init; }

    public string? ContentType { get; init; }

    public string? Acl { get; init; }

    public string? StorageClass { get; init; }

    /// <summary><c>Auto</c> (default), <c>Obs</c>, <c>V4</c> or <c>V2</c>, in any case.</summary>
    public string? Signature { get; init; }

    public string? Region { get; init; }

    /// <summary><c>Auto</c> (default), <c>true</c> or <c>false</c>.</summary>
    public string? PathStyle { get; init; }

    public bool SkipUnchanged { get; init; }

    public int MaxRetries { get; init; } = ObsClientOptions.DefaultMaxRetries;

    /// <summary>Seconds without a byte moving before an attempt is abandoned.</summary>
    public double IdleTimeoutSeconds { get; init; } = ObsClientOptions.DefaultIdleTimeout.TotalSeconds;

    /// <summary>The least time between two progress lines; 0 turns them off.</summary>
    public double HeartbeatSeconds { get; init; } = DefaultHeartbeatSeconds;

    /// <summary>Upload in the calling process instead of the <c>obs-uploader</c> process (see
    /// <see cref="OutOfProcess.UploaderProcess"/>): for diagnosis, or where the uploader cannot run.</summary>
    public bool InProcess { get; init; }

    /// <summary>Told how far each file has come (Cake's <c>OnProgress</c>). Stays in the calling process: the uploader
    /// process sends the progress back.</summary>
    [JsonIgnore]
    public Action<FileProgressEvent>? OnProgress { get; init; }
}

/// <summary>One file of a call: its path, and what decides its key and content type.</summary>
/// <param name="Path">The file (absolute, or relative to the front end's base folder).</param>
/// <param name="ObjectKey">The whole key, taken as written; <see langword="null"/> to derive it.</param>
/// <param name="RelativeDirectory">The folder below the upload root (MSBuild's <c>%(RecursiveDir)</c>) put between the
/// prefix and the file name; <see langword="null"/> to derive it from <see cref="UploadSettings.BaseDirectory"/>.</param>
/// <param name="ContentType">This file's content type, overriding the call's.</param>
internal sealed record UploadFileSpec(string Path, string? ObjectKey = null, string? RelativeDirectory = null, string? ContentType = null);
