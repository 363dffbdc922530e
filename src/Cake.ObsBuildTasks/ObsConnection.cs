using Cake.Core;
using ObsBuildTasks;

namespace Cake.ObsBuildTasks;

/// <summary>The endpoint and credentials of one alias call: explicit settings first, then the environment variables
/// that Huawei's SDK and the MSBuild task use.</summary>
internal static class ObsConnection
{
    /// <summary>Client options for <paramref name="settings"/>, with the engine's messages sent to <paramref name="log"/>.</summary>
    /// <exception cref="CakeException">No endpoint is configured.</exception>
    public static ObsClientOptions Resolve(ICakeEnvironment environment, ObsUploadFileSettings settings, Action<ObsLogLevel, string> log)
    {
        var endpoint = Setting(environment, settings.Endpoint, ObsUploadFileSettings.EndpointVariable)
            ?? throw new CakeException(
                $"Cannot upload to OBS: no endpoint. Set ObsUploadFileSettings.Endpoint or the {ObsUploadFileSettings.EndpointVariable} environment variable.");
        var options = new ObsClientOptions
        {
            Endpoint = endpoint,
            AccessKeyId = Setting(environment, settings.AccessKeyId, ObsUploadFileSettings.AccessKeyIdVariable) ?? "",
            SecretAccessKey = Setting(environment, settings.SecretAccessKey, ObsUploadFileSettings.SecretAccessKeyVariable) ?? "",
            SecurityToken = Setting(environment, settings.SecurityToken, ObsUploadFileSettings.SecurityTokenVariable),
            Signature = settings.Signature,
            Log = log,
        };
        if (!string.IsNullOrWhiteSpace(settings.Region))
        {
            options.Region = settings.Region;
        }

        return options;
    }

    /// <summary>The explicit value, else the environment variable; blank counts as unset.</summary>
    private static string? Setting(ICakeEnvironment environment, string? value, string variable) =>
        !string.IsNullOrWhiteSpace(value) ? value
        : environment.GetEnvironmentVariable(variable) is { } fromEnvironment && !string.IsNullOrWhiteSpace(fromEnvironment) ? fromEnvironment
        : null;
}
