using ObsBuildTasks.Wire;

namespace ObsBuildTasks.Transfer;

/// <summary>
/// Asks the object itself (<c>HEAD</c>) for its size and ETag after an answer said it was stored (a <c>PUT</c>, or
/// Complete for a multipart upload): an answer alone is not trusted, since a gateway or a faulty server can say
/// "stored" for an object the store never got. Both paths check the same way, at the cost of one request per file.
/// </summary>
internal static class StoredObjectCheck
{
    /// <summary>Checks that the object <paramref name="operation"/> answered for is there with the file's size and
    /// <paramref name="expected"/>, the ETag the file makes (its MD5, or the one its parts make), which the answer
    /// carried. A HEAD the service refuses (credentials that may write but not read) or that fails leaves the answer's
    /// checked ETag as the proof, with a warning: the object is stored, and failing would only make every later run fail
    /// too.</summary>
    /// <exception cref="ObsException">The object is missing, or has another size or ETag: an integrity mismatch.</exception>
    public static async Task EnsureStoredAsync(UploadContext context, string operation, string expected, WireResponse response,
        CancellationToken cancellationToken)
    {
        ObjectProperties? stored;
        try
        {
            stored = await context.InSlotAsync(() => context.Bucket.HeadObjectAsync(context.Key, cancellationToken), cancellationToken).ConfigureAwait(false);
        }
        catch (ObsException exception) when (exception.Kind is not (ObsErrorKind.Redirect or ObsErrorKind.MalformedAnswer))
        {
            context.Warn(UploadWarning.ObjectNotVerified,
                $"{context.Describe} was stored ({operation} answered with ETag {expected}, the one the file makes), but the object could not be read back to confirm it: {exception.Message} Give the credentials read access (HeadObject) to have every upload confirmed.");
            return;
        }

        if (stored is not null && stored.ContentLength == context.Plan.FileSize && string.Equals(stored.ETag, expected, StringComparison.OrdinalIgnoreCase))
        {
            return;
        }

        var found = stored is null
            ? "there is no such object"
            : $"it has {stored.ContentLength} bytes and ETag {SafeText.Printable(stored.ETag)}, not {context.Plan.FileSize} bytes and {expected}";
        throw new ObsException(operation, ObsErrorKind.IntegrityMismatch,
            $"{operation}: the service answered that {context.Request.BucketName}/{context.Key} was stored, but asked for the object it says {found}: the answer did not come from the store that holds the object (a gateway or proxy between them?), or another run replaced it at once. Do not use that object; check Endpoint and run the build again.",
            requestId: response.RequestId);
    }
}
