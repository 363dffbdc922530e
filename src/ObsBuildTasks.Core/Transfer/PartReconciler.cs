using ObsBuildTasks.Wire;

namespace ObsBuildTasks.Transfer;

/// <summary>
/// Decides which parts already on the server can be kept: a part is kept only when its size matches the plan and
/// its ETag equals the MD5 of the same byte range of the local file. The checkpoint's MD5s stand in for hashing only
/// while the file's size and last write time are unchanged (and <see cref="UploadFileRequest.CheckSum"/> is off);
/// a rebuilt artifact with a new time is hashed, so identical bytes still resume and changed bytes are sent again.
/// </summary>
internal static class PartReconciler
{
    public static async Task<Dictionary<int, string>> KeepAsync(UploadContext context, CheckpointDocument checkpoint,
        IReadOnlyList<UploadedPart> serverParts, CancellationToken cancellationToken)
    {
        var plan = context.Plan;
        var recorded = CanTrustRecorded(context, checkpoint)
            ? checkpoint.Parts.ToDictionary(part => part.PartNumber, part => part.Md5)
            : [];
        var kept = new Dictionary<int, string>();
        var rejected = 0;
        foreach (var part in serverParts)
        {
            if (part.PartNumber > plan.PartCount || part.Size != plan.Length(part.PartNumber))
            {
                rejected++;
                continue;
            }

            var localMd5 = recorded.TryGetValue(part.PartNumber, out var md5)
                ? md5
                : FileRangeHasher.ToHex(await FileRangeHasher.Md5Async(context.File, plan.Offset(part.PartNumber),
                    plan.Length(part.PartNumber), cancellationToken).ConfigureAwait(false));
            if (string.Equals(part.ETag, localMd5, StringComparison.OrdinalIgnoreCase))
            {
                kept[part.PartNumber] = localMd5;
            }
            else
            {
                rejected++;
            }
        }

        context.Write(ObsLogLevel.Info,
            $"Resuming {context.Describe}: {kept.Count} of {plan.PartCount} parts are on the server and match the file"
            + (rejected > 0 ? $"; {rejected} part(s) differ from the file and will be sent again." : "."));
        return kept;
    }

    /// <summary>Whether the checkpoint's MD5s still describe the file: same size and last write time, no CheckSum asked.</summary>
    public static bool CanTrustRecorded(UploadContext context, CheckpointDocument checkpoint) =>
        checkpoint.FileLastWriteTimeUtc == context.FileLastWriteTimeUtc && checkpoint.FileSize == context.Plan.FileSize
        && !context.Request.CheckSum;
}
