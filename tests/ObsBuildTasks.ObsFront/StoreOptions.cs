namespace ObsBuildTasks.ObsFront;

/// <summary>The S3 store behind the front and the credentials the front signs with.</summary>
/// <param name="Endpoint">The store, e.g. <c>http://127.0.0.1:18080</c> (path-style addressing).</param>
/// <param name="AccessKeyId">The store's access key id.</param>
/// <param name="SecretAccessKey">The store's secret.</param>
/// <param name="Region">The SigV4 region.</param>
public sealed record StoreOptions(Uri Endpoint, string AccessKeyId, string SecretAccessKey, string Region);
