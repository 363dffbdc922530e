namespace ObsBuildTasks;

/// <summary>An object's properties from HeadObject.</summary>
/// <param name="ETag">The ETag, unquoted.</param>
/// <param name="ContentLength">The size in bytes.</param>
/// <param name="ContentType">The content type.</param>
/// <param name="Metadata">User metadata, names without the <c>x-obs-meta-</c>/<c>x-amz-meta-</c> prefix.</param>
/// <param name="Headers">Every response header, for callers that need more.</param>
public sealed record ObjectProperties(string ETag, long ContentLength, string? ContentType,
    IReadOnlyDictionary<string, string> Metadata, IReadOnlyDictionary<string, string> Headers);
