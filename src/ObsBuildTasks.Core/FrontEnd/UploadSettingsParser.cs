namespace ObsBuildTasks.FrontEnd;

/// <summary>Reads the settings a user writes as text (signature, path style, metadata list, idle timeout), reporting
/// what cannot be read as coded problems.</summary>
internal static class UploadSettingsParser
{
    /// <summary>A name of <see cref="SignatureType"/> in any case (not its number); blank means <see cref="SignatureType.Auto"/>.</summary>
    public static SignatureType Signature(UploadSettings settings, List<Diagnostic> problems)
    {
        var text = settings.Signature?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            return SignatureType.Auto;
        }

        var name = Enum.GetNames<SignatureType>().FirstOrDefault(name => name.Equals(text, StringComparison.OrdinalIgnoreCase));
        if (name is not null)
        {
            return Enum.Parse<SignatureType>(name);
        }

        problems.Add(new Diagnostic(DiagnosticCode.InvalidSignature,
            $"Signature '{text}' is not known: use Auto (the default: negotiated with the service), Obs (Huawei OBS), V4 or V2 (S3-compatible stores)."));
        return SignatureType.Auto;
    }

    /// <summary><c>Auto</c> or blank (path style for IP addresses and localhost), <c>true</c> or <c>false</c>.</summary>
    public static bool? PathStyle(UploadSettings settings, List<Diagnostic> problems)
    {
        var text = settings.PathStyle?.Trim();
        if (string.IsNullOrEmpty(text) || text.Equals("Auto", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        if (bool.TryParse(text, out var pathStyle))
        {
            return pathStyle;
        }

        problems.Add(new Diagnostic(DiagnosticCode.InvalidOption,
            $"PathStyle '{text}' is not known: use Auto (the default: path style for IP addresses and localhost), true (endpoint/bucket/key) or false (bucket.endpoint/key)."));
        return null;
    }

    /// <summary>The longest <see cref="UploadSettings.HeartbeatSeconds"/>: a day.</summary>
    public const int MaxHeartbeatSeconds = 86_400;

    public static TimeSpan IdleTimeout(UploadSettings settings, List<Diagnostic> problems) =>
        Seconds(settings.IdleTimeoutSeconds, "IdleTimeout", 1, 3600, "1 to 3600", ObsClientOptions.DefaultIdleTimeout, problems);

    /// <summary>The least time between two progress lines (<see cref="UploadSettings.HeartbeatSeconds"/>): 0 (off) to a
    /// day.</summary>
    public static TimeSpan Heartbeat(UploadSettings settings, List<Diagnostic> problems) =>
        Seconds(settings.HeartbeatSeconds, "ProgressInterval", 0, MaxHeartbeatSeconds, $"0 (no progress lines) to {MaxHeartbeatSeconds}",
            TimeSpan.FromSeconds(UploadSettings.DefaultHeartbeatSeconds), problems);

    /// <summary><see cref="UploadSettings.Metadata"/> and the pairs of <see cref="UploadSettings.MetadataText"/>
    /// (<c>name=value;name2=value2</c>: empty entries ignored, names and values trimmed, a value may hold '='). Names
    /// are case-insensitive, as the service treats them: a name given twice is a problem, never a silent overwrite.</summary>
    public static IReadOnlyDictionary<string, string> Metadata(UploadSettings settings, List<Diagnostic> problems)
    {
        var metadata = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        void Add(string name, string value)
        {
            if (!metadata.TryAdd(name, value))
            {
                problems.Add(new Diagnostic(DiagnosticCode.InvalidMetadata,
                    $"The Metadata name '{name}' is given more than once (names are case-insensitive); give each name once."));
            }
        }

        foreach (var (name, value) in settings.Metadata)
        {
            Add(name, value);
        }

        foreach (var entry in (settings.MetadataText ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var separator = entry.IndexOf('=', StringComparison.Ordinal);
            if (separator <= 0 || entry[..separator].Trim().Length == 0)
            {
                problems.Add(new Diagnostic(DiagnosticCode.InvalidMetadata,
                    $"The Metadata entry '{entry}' is not of the form name=value; separate entries with ';'."));
                continue;
            }

            Add(entry[..separator].Trim(), entry[(separator + 1)..].Trim());
        }

        return metadata;
    }

    /// <summary>A setting in seconds from <paramref name="min"/> to <paramref name="max"/>; anything else (NaN and
    /// infinities included) is a coded problem, and <paramref name="fallback"/> stands in.</summary>
    private static TimeSpan Seconds(double seconds, string name, double min, double max, string range, TimeSpan fallback, List<Diagnostic> problems)
    {
        if (double.IsFinite(seconds) && seconds >= min && seconds <= max)
        {
            return TimeSpan.FromSeconds(seconds);
        }

        problems.Add(new Diagnostic(DiagnosticCode.InvalidOption, $"{name} {seconds} is out of range: use {range} seconds (default {fallback.TotalSeconds:0})."));
        return fallback;
    }
}
