using ObsBuildTasks.Testing.Store;

namespace Cake.ObsBuildTasks.Tests;

/// <summary>The environment variables a CI job would set to upload to the local store.</summary>
internal static class StoreEnvironment
{
    /// <summary>Endpoint (the store or a proxy in front of it) and the store's credentials.</summary>
    public static Dictionary<string, string> Variables(LocalObjectStore store, Uri endpoint) => new()
    {
        [ObsUploadFileSettings.EndpointVariable] = endpoint.ToString(),
        [ObsUploadFileSettings.AccessKeyIdVariable] = store.AccessKeyId,
        [ObsUploadFileSettings.SecretAccessKeyVariable] = store.SecretAccessKey,
    };
}
