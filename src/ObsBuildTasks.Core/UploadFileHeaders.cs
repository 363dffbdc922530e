namespace ObsBuildTasks;

/// <summary>Object headers fixed when the upload starts (OBS's <c>UploadFileHeader</c>).</summary>
public sealed class UploadFileHeaders
{
    /// <summary>A canned ACL such as <c>private</c> or <c>public-read</c>.</summary>
    public string? Acl { get; set; }

    /// <summary>The object's <c>Content-Type</c>; when <see langword="null"/> it is guessed from the file extension.</summary>
    public string? ContentType { get; set; }

    /// <summary>The storage class, e.g. <c>STANDARD</c>, <c>WARM</c> or <c>COLD</c> on OBS.</summary>
    public string? StorageClass { get; set; }

    /// <summary>Redirect target when the bucket serves a static website.</summary>
    public string? WebsiteRedirectLocation { get; set; }

    /// <summary>The object's <c>Expires</c> header.</summary>
    public DateTimeOffset? Expires { get; set; }

    /// <summary>Further headers sent on Initiate (or the single PUT), e.g. grants or server-side encryption
    /// (<c>x-obs-server-side-encryption: kms</c>). Names are sent as given.</summary>
    public IDictionary<string, string> Extra { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
}
