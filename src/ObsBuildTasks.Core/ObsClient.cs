using ObsBuildTasks.Transfer;
using ObsBuildTasks.Validation;
using ObsBuildTasks.Wire;
using ObsBuildTasks.Wire.Signing;

namespace ObsBuildTasks;

/// <summary>
/// Uploads files to Huawei Cloud OBS or any S3-compatible store: in parts, concurrently, resumable from a checkpoint.
/// Thread-safe; create one per endpoint and credentials and reuse it.
/// </summary>
/// <example>
/// <code>
/// using var client = new ObsClient(new ObsClientOptions
/// {
///     Endpoint = "https://obs.cn-north-4.myhuaweicloud.com",
///     AccessKeyId = Environment.GetEnvironmentVariable("OBS_ACCESS_KEY_ID")!,
///     SecretAccessKey = Environment.GetEnvironmentVariable("OBS_SECRET_ACCESS_KEY")!,
/// });
/// var request = new UploadFileRequest("releases", "app/1.0/app.zip", "artifacts/app.zip") { TaskNum = 5, EnableCheckpoint = true };
/// var result = await client.UploadFileAsync(request);
/// Console.WriteLine($"{result.Location} {result.ETag}");
/// </code>
/// </example>
public sealed class ObsClient : IDisposable
{
    private readonly ObsWireClient _wire;
    private readonly EventPublisher _events;

    /// <summary>Creates a client.</summary>
    /// <exception cref="ObsValidationException">The options are incomplete or out of range; every problem is listed.</exception>
    public ObsClient(ObsClientOptions options)
        : this(options, null)
    {
    }

    /// <summary>Creates a client whose requests go through <paramref name="handler"/> (tests).</summary>
    internal ObsClient(ObsClientOptions options, HttpMessageHandler? handler)
    {
        ArgumentNullException.ThrowIfNull(options);
        UploadValidator.ThrowIfInvalid(options);
        _events = new EventPublisher(options.Observer);
        var credentials = new SigningCredentials(options.AccessKeyId, options.SecretAccessKey,
            string.IsNullOrEmpty(options.SecurityToken) ? null : options.SecurityToken);
        var executor = new RequestExecutor(ObsEndpoint.Parse(options.Endpoint, options.PathStyle), credentials, options.MaxRetries,
            options.RetryBaseDelay, options.IdleTimeout, options.Proxy, handler);
        _wire = new ObsWireClient(executor, options.Signature, options.Region, _events.Publish);
    }

    /// <summary>Uploads one file (OBS's <c>uploadFile</c>).</summary>
    /// <returns>The completed object and what the transfer did.</returns>
    /// <exception cref="ObsValidationException">The request is invalid; nothing was sent.</exception>
    /// <exception cref="ObsException">The upload could not be finished; <see cref="ObsException.Kind"/> says why. With
    /// checkpointing on, the next call resumes; with it off, the multipart upload has been aborted.</exception>
    /// <exception cref="OperationCanceledException">Cancelled; the checkpoint (when on) lets the next call resume.</exception>
    public async Task<CompleteMultipartUploadResult> UploadFileAsync(UploadFileRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        UploadValidator.ThrowIfInvalid(request);
        using var slots = new RequestSlots(request.TaskNum);
        return await FileUpload.RunAsync(_wire, request, slots, _events, null, null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Uploads several files with at most <paramref name="taskNum"/> requests in flight across all of them. Every file
    /// is attempted; each outcome says whether it succeeded. Invalid requests are reported (all of their problems at
    /// once) before anything is sent. Each request's own <see cref="UploadFileRequest.TaskNum"/> still caps the parts of
    /// that file in flight, so set it to <paramref name="taskNum"/> to let one large file use every slot.
    /// </summary>
    /// <exception cref="ObsValidationException">A request is invalid; nothing was sent.</exception>
    /// <exception cref="OperationCanceledException">Cancelled; checkpoints (when on) let the next call resume.</exception>
    public async Task<IReadOnlyList<UploadFileOutcome>> UploadFilesAsync(IReadOnlyList<UploadFileRequest> requests, int taskNum,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(requests);
        UploadValidator.ThrowIfAny([.. requests.SelectMany(UploadValidator.Check).Prepend(UploadValidator.CheckTaskNum(taskNum)).OfType<ObsValidationFailure>()]);
        using var slots = new RequestSlots(taskNum);
        var outcomes = new UploadFileOutcome[requests.Count];
        var digestsAhead = new FileDigestsAhead(requests, cancellationToken);
        using var storedObjects = new StoredObjectBatch(taskNum, cancellationToken);
        var options = new ParallelOptions { MaxDegreeOfParallelism = storedObjects.FilesAtATime, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(Enumerable.Range(0, requests.Count), options, async (index, token) =>
        {
            var turn = await storedObjects.StartFileAsync().ConfigureAwait(false);
            try
            {
                outcomes[index] = new UploadFileOutcome(requests[index],
                    await FileUpload.RunAsync(_wire, requests[index], slots, _events, file => digestsAhead.Md5Async(index, file), turn, token)
                        .ConfigureAwait(false), null);
            }
            catch (ObsException exception)
            {
                outcomes[index] = new UploadFileOutcome(requests[index], null, exception);
            }
            finally
            {
                await turn.EndAsync().ConfigureAwait(false);
            }
        }).ConfigureAwait(false);
        return outcomes;
    }

    /// <summary>The properties of an object, or <see langword="null"/> when it does not exist.</summary>
    public async Task<ObjectProperties?> HeadObjectAsync(string bucketName, string objectKey, CancellationToken cancellationToken = default) =>
        await (await _wire.BucketAsync(bucketName, cancellationToken).ConfigureAwait(false)).HeadObjectAsync(objectKey, cancellationToken).ConfigureAwait(false);

    /// <summary>The unfinished multipart uploads in a bucket (parts of these are billed until completed or aborted). At
    /// most 100 pages are read (100,000 uploads at the services' 1,000 a page): a server that keeps answering that
    /// there is more fails with <see cref="ObsErrorKind.MalformedAnswer"/>.</summary>
    public async Task<IReadOnlyList<MultipartUploadInfo>> ListMultipartUploadsAsync(string bucketName, string? prefix = null,
        CancellationToken cancellationToken = default) =>
        (await (await _wire.BucketAsync(bucketName, cancellationToken).ConfigureAwait(false)).ListMultipartUploadsAsync(prefix, cancellationToken)
            .ConfigureAwait(false)).Uploads;

    /// <summary>Aborts an unfinished multipart upload and frees its parts.</summary>
    public async Task AbortMultipartUploadAsync(string bucketName, string objectKey, string uploadId, CancellationToken cancellationToken = default) =>
        await (await _wire.BucketAsync(bucketName, cancellationToken).ConfigureAwait(false)).AbortMultipartUploadAsync(objectKey, uploadId, cancellationToken)
            .ConfigureAwait(false);

    /// <inheritdoc />
    public void Dispose() => _wire.Dispose();
}
