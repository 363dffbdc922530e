namespace ObsBuildTasks.FrontEnd;

/// <summary>The environment variables a call reads, with the names Huawei's SDKs use: explicit settings first, then
/// <c>OBS_ENDPOINT</c>, <c>OBS_ACCESS_KEY_ID</c>, <c>OBS_SECRET_ACCESS_KEY</c>, <c>OBS_SECURITY_TOKEN</c>, and the
/// proxy variables.</summary>
/// <param name="Variable">Reads one variable (the process's, or Cake's environment).</param>
internal sealed record UploadEnvironment(Func<string, string?> Variable)
{
    public const string EndpointVariable = "OBS_ENDPOINT";
    public const string AccessKeyIdVariable = "OBS_ACCESS_KEY_ID";
    public const string SecretAccessKeyVariable = "OBS_SECRET_ACCESS_KEY";
    public const string SecurityTokenVariable = "OBS_SECURITY_TOKEN";

    /// <summary>The process's environment, read now.</summary>
    public static UploadEnvironment Process { get; } = new(Environment.GetEnvironmentVariable);

    /// <summary>The explicit value, else the variable; blank counts as unset.</summary>
    public string? Resolve(string? explicitValue, string variable) =>
        !string.IsNullOrWhiteSpace(explicitValue) ? explicitValue
        : Variable(variable) is { } fromEnvironment && !string.IsNullOrWhiteSpace(fromEnvironment) ? fromEnvironment
        : null;
}
