using ObsBuildTasks.Hashing;

namespace ObsBuildTasks.Transfer;

/// <summary>
/// The MD5s of the small files of one call that each go in one request, hashed <see cref="LaneHasher.BatchSize"/>
/// files at a time in lanes, a batch ahead of their uploads: hashed one by one as each upload starts, the files would
/// each go through the platform's MD5 alone, at a fraction of the lanes' speed. A digest is handed only to an upload
/// that opened the same version of the file (<see cref="FileVersion"/>) that was hashed; any other upload, a file that
/// could not be read ahead, or one larger than <see cref="MaxFileBytes"/> or than its part size, is hashed by its
/// upload as before. Either way the digest goes out as <c>Content-MD5</c>, so bytes that differ from it are refused.
/// </summary>
internal sealed class FileDigestsAhead
{
    /// <summary>The largest file hashed ahead: a batch reads at most <see cref="PartDigests.MaxBatchBytes"/>.</summary>
    public static readonly long MaxFileBytes = PartDigests.MaxBatchBytes / Md5Lanes.Count;

    private readonly IReadOnlyList<UploadFileRequest> _requests;
    private readonly DigestsAhead<FileDigest?>? _digests;

    /// <param name="requests">The call's files, in the order they are uploaded.</param>
    /// <param name="cancellationToken">The call's.</param>
    public FileDigestsAhead(IReadOnlyList<UploadFileRequest> requests, CancellationToken cancellationToken)
    {
        _requests = requests;
        if (LaneHasher.BatchSize > 1 && requests.Count > 1)
        {
            _digests = new DigestsAhead<FileDigest?>(requests.Count, LaneHasher.BatchSize, (first, count) => Hash(first, count, cancellationToken),
                cancellationToken);
        }
    }

    /// <summary>The MD5 of the whole of request <paramref name="index"/>'s file when it was hashed ahead and
    /// <paramref name="file"/> is that same version of it; otherwise <see langword="null"/>.</summary>
    public async Task<byte[]?> Md5Async(int index, LocalFile file)
    {
        if (_digests is null)
        {
            return null;
        }

        var digest = await _digests.GetAsync(index).ConfigureAwait(false);
        return digest is not null && digest.Version == file.Version ? digest.Md5 : null;
    }

    private FileDigest?[] Hash(int first, int count, CancellationToken cancellationToken)
    {
        var digests = new FileDigest?[count];
        var opened = new List<(int Position, LocalFile File)>();
        try
        {
            for (var position = 0; position < count; position++)
            {
                if (TryOpenSmall(_requests[first + position]) is { } file)
                {
                    opened.Add((position, file));
                }
            }

            var md5s = LaneHasher.Md5s([.. opened.Select(entry => new FileRange(entry.File, new ByteRange(0, entry.File.Length)))], cancellationToken);
            for (var index = 0; index < opened.Count; index++)
            {
                digests[opened[index].Position] = new FileDigest(opened[index].File.Version, md5s[index]);
            }
        }
        catch (ObsException exception) when (exception.Kind == ObsErrorKind.FileChanged)
        {
            // A file cut short while it was read ahead: every upload of this batch hashes its own file, and finds out.
            Array.Clear(digests);
        }
        finally
        {
            opened.ForEach(entry => entry.File.Dispose());
        }

        return digests;
    }

    /// <summary>The request's file, open, when it is small enough to be hashed ahead; <see langword="null"/> when it is
    /// not or cannot be opened (its upload opens it again and reports why).</summary>
    private static LocalFile? TryOpenSmall(UploadFileRequest request)
    {
        LocalFile file;
        try
        {
            file = LocalFile.Open(request.UploadFile);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or ObsException)
        {
            return null;
        }

        if (file.Length <= Math.Min(request.PartSize, MaxFileBytes))
        {
            return file;
        }

        file.Dispose();
        return null;
    }

    private sealed record FileDigest(FileVersion Version, byte[] Md5);
}
