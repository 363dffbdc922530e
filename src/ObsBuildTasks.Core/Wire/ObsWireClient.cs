namespace ObsBuildTasks.Wire;

/// <summary>One endpoint with one set of credentials: the request executor and the per-bucket signature decisions.</summary>
internal sealed class ObsWireClient : IDisposable
{
    private readonly RequestExecutor _executor;
    private readonly SignatureNegotiator _negotiator;

    public ObsWireClient(RequestExecutor executor, SignatureType signature, string? region, Action<UploadEvent> publish)
    {
        _executor = executor;
        _negotiator = new SignatureNegotiator(executor, signature, region, publish);
    }

    public ObsEndpoint Endpoint => _executor.Endpoint;

    /// <summary>The operations on <paramref name="bucketName"/>, once its signature is known.</summary>
    public async Task<BucketClient> BucketAsync(string bucketName, CancellationToken cancellationToken) =>
        new(_executor, _negotiator, bucketName, await _negotiator.ForBucketAsync(bucketName, cancellationToken).ConfigureAwait(false));

    public void Dispose() => _executor.Dispose();
}
