using Cake.ObsBuildTasks.Tests.Fakes;
using ObsBuildTasks;
using ObsBuildTasks.Testing.Store;

namespace Cake.ObsBuildTasks.Tests;

/// <summary>
/// What an alias test works in: a temporary folder that is the Cake working directory, a fake context whose
/// environment points at the local object store, and a key prefix no other test uses.
/// </summary>
internal sealed class AliasWorkspace : IDisposable
{
    private AliasWorkspace(LocalObjectStore store)
    {
        Store = store;
        Context = CreateContext(StoreVariables(Store.Endpoint));
    }

    public LocalObjectStore Store { get; }

    public TestFiles Files { get; } = new();

    public FakeCakeContext Context { get; }

    /// <summary>Where every key of this test starts.</summary>
    public string Prefix { get; } = LocalObjectStore.UniqueKey("");

    public static async Task<AliasWorkspace> CreateAsync() => new(await LocalObjectStore.GetAsync());

    /// <summary>The variables a CI job would set for the store, with the endpoint given (the store or a proxy).</summary>
    public Dictionary<string, string> StoreVariables(Uri endpoint) => StoreEnvironment.Variables(Store, endpoint);

    /// <summary>A context in this workspace's folder with exactly these environment variables.</summary>
    public FakeCakeContext CreateContext(IReadOnlyDictionary<string, string> variables) => new(Files.Root, variables);

    /// <summary>Settings for the store (V4, this test's prefix, smallest parts) before the test's own changes.</summary>
    public ObsUploadFileSettings Settings() => new()
    {
        Signature = SignatureType.V4,
        ObjectKeyPrefix = Prefix,
        PartSize = UploadFileRequest.MinPartSize,
    };

    /// <summary>The MD5 and length of what the store holds under <paramref name="key"/>, read independently of the addin.</summary>
    public Task<(string Md5, long Length)?> StoredAsync(string key) => Store.Reader.HashObjectAsync(Store.Bucket, key);

    public void Dispose() => Files.Dispose();
}
