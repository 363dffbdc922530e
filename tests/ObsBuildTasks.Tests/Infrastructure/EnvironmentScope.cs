using ObsBuildTasks.Testing.Store;

namespace ObsBuildTasks.MSBuild.Tests.Infrastructure;

/// <summary>Sets process environment variables (null removes one) and puts the old values back on dispose.</summary>
internal sealed class EnvironmentScope : IDisposable
{
    private readonly Dictionary<string, string?> _saved = [];

    public EnvironmentScope(IReadOnlyDictionary<string, string?> variables)
    {
        foreach (var (name, value) in variables)
        {
            _saved[name] = Environment.GetEnvironmentVariable(name);
            Environment.SetEnvironmentVariable(name, value);
        }
    }

    /// <summary>The credentials of <paramref name="store"/>, and no OBS_ENDPOINT or security token unless given.</summary>
    public static Dictionary<string, string?> StoreCredentials(LocalObjectStore store, string? endpoint = null, string? securityToken = null) => new()
    {
        ["OBS_ACCESS_KEY_ID"] = store.AccessKeyId,
        ["OBS_SECRET_ACCESS_KEY"] = store.SecretAccessKey,
        ["OBS_SECURITY_TOKEN"] = securityToken,
        ["OBS_ENDPOINT"] = endpoint,
    };

    public void Dispose()
    {
        foreach (var (name, value) in _saved)
        {
            Environment.SetEnvironmentVariable(name, value);
        }
    }
}
