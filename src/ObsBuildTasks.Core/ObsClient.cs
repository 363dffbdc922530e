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
    private readonly Action<ObsLogLevel, string>? _log;

    /// <summary>Creates a client.</summary>
    /// <exception cref="ObsValidationException">The options are incomplete or out of range.</exception>
    public ObsClient(ObsClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        UploadValidator.Validate(options);
        var endpoint = ObsEndpoint.Parse(options.Endpoint, options.PathStyle);
        _log = options.Log;
        _wire = new ObsWireClient(endpoint,
            new SigningCredentials(options.AccessKeyId, options.SecretAccessKey, string.IsNullOrEmpty(options.SecurityToken) ? null : options.SecurityToken),
            options.Signature, options.Region, RetryPolicy.Create(options.MaxRetries, options.RetryBaseDelay, options.Log), options.IdleTimeout);
    }

    /// <summary>Uploads one file (OBS's <c>uploadFile</c>).</summary>
    /// <returns>The completed object and what the transfer did.</returns>
    /// <exception cref="ObsValidationException">The request is invalid; nothing was sent.</exception>
    /// <exception cref="ObsException">The upload could not be finished. With checkpointing on, the next call resumes;
    /// with it off, the multipart upload has been aborted.</exception>
    /// <exception cref="OperationCanceledException">Cancelled; the checkpoint (when on) lets the next call resume.</exception>
    public async Task<CompleteMultipartUploadResult> UploadFileAsync(UploadFileRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        UploadValidator.ValidateTaskNum(request.TaskNum);
        using var slots = new RequestSlots(request.TaskNum);
        return await FileUpload.RunAsync(_wire, request, slots, _log, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Uploads several files with at most <paramref name="taskNum"/> requests in flight across all of them. Every file
    /// is attempted; each outcome says whether it succeeded. Invalid requests are reported before anything is sent.
    /// Each request's own <see cref="UploadFileRequest.TaskNum"/> still caps the parts of that file in flight, so set
    /// it to <paramref name="taskNum"/> to let one large file use every slot.
    /// </summary>
    /// <exception cref="ObsValidationException">A request is invalid; nothing was sent.</exception>
    /// <exception cref="OperationCanceledException">Cancelled; checkpoints (when on) let the next call resume.</exception>
    public async Task<IReadOnlyList<UploadFileOutcome>> UploadFilesAsync(IReadOnlyList<UploadFileRequest> requests, int taskNum,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(requests);
        UploadValidator.ValidateTaskNum(taskNum);
        foreach (var request in requests)
        {
            UploadValidator.Validate(request);
        }

        using var slots = new RequestSlots(taskNum);
        var outcomes = new UploadFileOutcome[requests.Count];
        var options = new ParallelOptions { MaxDegreeOfParallelism = taskNum, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(Enumerable.Range(0, requests.Count), options, async (index, token) =>
        {
            try
            {
                outcomes[index] = new UploadFileOutcome(requests[index],
                    await FileUpload.RunAsync(_wire, requests[index], slots, _log, token).ConfigureAwait(false), null);
            }
            catch (ObsException exception)
            {
                outcomes[index] = new UploadFileOutcome(requests[index], null, exception);
            }
        }).ConfigureAwait(false);
        return outcomes;
    }

    /// <summary>The properties of an object, or <see langword="null"/> when it does not exist.</summary>
    public Task<ObjectProperties?> HeadObjectAsync(string bucketName, string objectKey, CancellationToken cancellationToken = default) =>
        _wire.HeadObjectAsync(bucketName, objectKey, cancellationToken);

    /// <summary>The unfinished multipart uploads in a bucket (parts of these are billed until completed or aborted).</summary>
    public Task<IReadOnlyList<MultipartUploadInfo>> ListMultipartUploadsAsync(string bucketName, string? prefix = null,
        CancellationToken cancellationToken = default) =>
        _wire.ListMultipartUploadsAsync(bucketName, prefix, cancellationToken);

    /// <summary>Aborts an unfinished multipart upload and frees its parts.</summary>
    public Task AbortMultipartUploadAsync(string bucketName, string objectKey, string uploadId, CancellationToken cancellationToken = default) =>
        _wire.AbortMultipartUploadAsync(bucketName, objectKey, uploadId, cancellationToken);

    /// <inheritdoc />
    public void Dispose() => _wire.Dispose();
}
