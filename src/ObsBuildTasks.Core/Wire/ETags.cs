using System.Buffers;

namespace ObsBuildTasks.Wire;

/// <summary>What an ETag must look like before the engine compares it or writes it into a checkpoint.</summary>
internal static class ETags
{
    private static readonly SearchValues<char> HexDigits = SearchValues.Create("0123456789abcdefABCDEF");

    /// <summary>Removes the quotes around an ETag.</summary>
    public static string Unquote(string etag) => etag.Trim().Trim('"');

    /// <summary>Whether <paramref name="etag"/> is a hex MD5 (32 hex digits): what a part's ETag must be.</summary>
    public static bool IsMd5(string? etag) => etag is { Length: 32 } && !etag.AsSpan().ContainsAnyExcept(HexDigits);

    /// <summary>Whether <paramref name="etag"/> has the shape of a multipart object's ETag: a hex MD5, '-', a count.</summary>
    public static bool IsMultipart(string? etag) =>
        etag is { Length: > 34 } && IsMd5(etag[..32]) && etag[32] == '-' && int.TryParse(etag.AsSpan(33), System.Globalization.NumberStyles.None,
            System.Globalization.CultureInfo.InvariantCulture, out _);
}
