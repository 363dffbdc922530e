using ObsBuildTasks.Testing.Store;

namespace Cake.ObsBuildTasks.Tests;

/// <summary>The environment variables a CI job would set to upload to the local store.</summary>
internal static class StoreEnvironment
{
    /// <summary>Endpoint (the store or a proxy in front of it) and the store's credentials.</summary>
    public static Dictionary<string, string> Variables(LocalObjectStore store, Uri endpoint) => new()
    {
        ["OBS_ENDPOINT"] = endpoint.ToString(),
        ["OBS_ACCESS_KEY_ID"] = store.AccessKeyId,
        ["OBS_SECRET_ACCESS_KEY"] = store.SecretAccessKey,
    };
}
