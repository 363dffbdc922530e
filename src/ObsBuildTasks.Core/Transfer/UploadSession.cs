using System.Collections.Concurrent;

namespace ObsBuildTasks.Transfer;

/// <summary>
/// One multipart upload in progress: its id, the parts the server has accepted, and the checkpoint that records them.
/// When the run fails, <see cref="LeaveAsync"/> keeps exactly this upload for the next run (checkpoint on) or aborts it
/// (checkpoint off), so no upload is ever left that nothing names.
/// </summary>
internal sealed class UploadSession
{
    private readonly UploadContext _context;
    private readonly CheckpointFile? _checkpoint;
    private readonly ConcurrentDictionary<int, string> _parts;
    private bool _completeRequested;

    private UploadSession(UploadContext context, CheckpointFile? checkpoint, string uploadId, IReadOnlyDictionary<int, string> parts)
    {
        _context = context;
        _checkpoint = checkpoint;
        UploadId = uploadId;
        _parts = new ConcurrentDictionary<int, string>(parts);
        PartsReused = parts.Count;
    }

    public string UploadId { get; }

    /// <summary>Parts an earlier run sent that this run keeps.</summary>
    public int PartsReused { get; }

    /// <summary>Whether this continues an earlier run's upload.</summary>
    public bool Resumed { get; private init; }

    /// <summary>Whether <paramref name="partNumber"/> is on the server and matches the file.</summary>
    public bool Has(int partNumber) => _parts.ContainsKey(partNumber);

    /// <summary>A new upload: recorded in the checkpoint at once. If that write fails, the upload is aborted.</summary>
    public static async Task<UploadSession> StartAsync(UploadContext context, CheckpointFile? checkpoint, string uploadId)
    {
        var session = new UploadSession(context, checkpoint, uploadId, new Dictionary<int, string>());
        try
        {
            session.Save(force: true);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            await StaleUploads.AbortAsync(context, uploadId).ConfigureAwait(false);
            throw;
        }

        return session;
    }

    /// <summary>An earlier run's upload, with the parts that were checked against the file.</summary>
    public static UploadSession Resume(UploadContext context, CheckpointFile checkpoint, string uploadId, IReadOnlyDictionary<int, string> keptParts) =>
        new(context, checkpoint, uploadId, keptParts) { Resumed = true };

    /// <summary>Records a part the server accepted (its ETag checked to be the MD5 of what was sent).</summary>
    public void RecordPart(int partNumber, string md5)
    {
        _parts[partNumber] = md5;
        Save(force: false);
    }

    /// <summary>Every part's MD5, in part order, once all are on the server.</summary>
    public IReadOnlyList<string> PartMd5s() => _context.Plan.PartNumbers.Select(number => _parts[number]).ToList();

    /// <summary>Notes that Complete is about to be sent, so a run that loses its answer checks the object first.</summary>
    public void MarkCompleteRequested()
    {
        _completeRequested = true;
        Save(force: true);
    }

    /// <summary>The upload is complete, or gone from the server: its checkpoint records nothing left to continue.</summary>
    public void DeleteCheckpoint() => _checkpoint?.Delete();

    /// <summary>The run failed: keep the checkpoint for the next run, or abort the upload when there is none.</summary>
    public async Task LeaveAsync()
    {
        if (_checkpoint is not null)
        {
            try
            {
                Save(force: true);
                return;
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                if (_checkpoint.Exists)
                {
                    // The last write failed but an earlier one names this upload: the next run still finds it.
                    return;
                }
            }
        }

        await StaleUploads.AbortAsync(_context, UploadId).ConfigureAwait(false);
    }

    private void Save(bool force) => _checkpoint?.Save(() => new CheckpointDocument
    {
        Version = CheckpointDocument.CurrentVersion,
        Endpoint = _context.Bucket.Endpoint.BaseUri.ToString(),
        Bucket = _context.Request.BucketName,
        Key = _context.Key,
        UploadId = UploadId,
        PartSize = _context.Plan.PartSize,
        FileSize = _context.Plan.FileSize,
        RequestFingerprint = _context.Fingerprint,
        CompleteRequested = _completeRequested,
        // ToArray is an atomic snapshot: LINQ straight over the dictionary sizes its buffer from Count and then overflows
        // (IndexOutOfRangeException) when a part finishes on another thread meanwhile.
        Parts = _parts.ToArray().OrderBy(pair => pair.Key).Select(pair => new CheckpointPart(pair.Key, pair.Value)).ToList(),
    }, force);
}
