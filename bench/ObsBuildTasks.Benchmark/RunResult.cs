using System.Text.Json.Serialization;

namespace ObsBuildTasks.Benchmark;

/// <summary>One client run (for the resume scenario: the resumed run, with the killed one's figures in <c>Killed*</c>).</summary>
internal sealed record RunResult
{
    public required string Server { get; init; }

    public required string Scenario { get; init; }

    public required string Tool { get; init; }

    public required int Round { get; init; }

    public required int TaskNum { get; init; }

    /// <summary>Bytes of the files uploaded.</summary>
    public required long PayloadBytes { get; init; }

    public required double WallSeconds { get; init; }

    public required double UserSeconds { get; init; }

    public required double SystemSeconds { get; init; }

    public required long MaxRssKiB { get; init; }

    public required int ExitCode { get; init; }

    /// <summary>Client requests the server saw.</summary>
    public required long Requests { get; init; }

    /// <summary>Request body bytes the server received.</summary>
    public required long BodyBytes { get; init; }

    /// <summary>Bytes of parts/objects the server accepted.</summary>
    public required long CompletedBytes { get; init; }

    /// <summary>Requests other clients sent to the same (shared) store during the run.</summary>
    public long ForeignRequests { get; init; }

    /// <summary>CPU seconds of the server's processes during the run.</summary>
    public required double ServerCpuSeconds { get; init; }

    /// <summary>CPU seconds of everything else on the machine during the run (other jobs, kernel writeback).</summary>
    public required double OthersCpuSeconds { get; init; }

    public required string LoadAverage { get; init; }

    public required bool Ok { get; init; }

    public string? Problem { get; init; }

    public string? OutputPath { get; init; }

    // Resume scenario: the run that was killed.
    public double? KilledWallSeconds { get; init; }

    /// <summary>Bytes in parts the server held when the client had been killed.</summary>
    public long? KilledCompletedBytes { get; init; }

    /// <summary>Body bytes the server received from the killed run (partial bodies included).</summary>
    public long? KilledBodyBytes { get; init; }

    /// <summary>Parts ours says it reused (from its "done" line).</summary>
    public int? PartsReused { get; init; }

    /// <summary>Ours: CPU seconds of the obs-uploader process alone (from its "obs-uploader used" line); included in
    /// <see cref="UserSeconds"/> + <see cref="SystemSeconds"/>, which GNU time reports for the runner and its child.</summary>
    public double? UploaderCpuSeconds { get; init; }

    /// <summary>Ours: the obs-uploader process's own peak RSS (from the same line).</summary>
    public long? UploaderMaxRssKiB { get; init; }

    /// <summary>Ours and its variants: CPU seconds of the runner process alone (the front end; its "runtime" line).</summary>
    public double? FrontEndCpuSeconds { get; init; }

    /// <summary>Ours and its variants: the runner process's own peak RSS (the front end, standing in for MSBuild's or Cake's
    /// process). <see cref="MaxRssKiB"/> is the larger of it and the uploader's, not their sum.</summary>
    public long? FrontEndMaxRssKiB { get; init; }

    [JsonIgnore]
    public double CpuSeconds => UserSeconds + SystemSeconds;

    [JsonIgnore]
    public double MiBPerSecond => PayloadBytes / 1048576.0 / WallSeconds;

    [JsonIgnore]
    public double CpuPerGiB => CpuSeconds / (PayloadBytes / 1073741824.0);
}

[JsonSerializable(typeof(RunResult))]
internal sealed partial class ResultJson : JsonSerializerContext;
