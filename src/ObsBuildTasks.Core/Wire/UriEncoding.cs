using System.Text;

namespace ObsBuildTasks.Wire;

/// <summary>
/// RFC 3986 percent-encoding as object stores expect it: the UTF-8 bytes of every character except the unreserved
/// ones (<c>A-Z a-z 0-9 - _ . ~</c>) become <c>%XX</c> with uppercase hex digits. Space is <c>%20</c>, never <c>+</c>.
/// </summary>
internal static class UriEncoding
{
    private const string HexDigits = "0123456789ABCDEF";

    /// <summary>UTF-8 without a BOM that throws on lone surrogates instead of silently replacing them.</summary>
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Encodes an object key for a path or a canonical resource: <c>/</c> is kept as the segment separator.</summary>
    /// <exception cref="ArgumentException">The key contains a lone UTF-16 surrogate.</exception>
    public static string EncodeKey(string objectKey) => Encode(objectKey, keepSlash: true);

    /// <summary>Encodes a query-string name or value (and SigV4 canonical query parts): <c>/</c> is encoded too.</summary>
    /// <exception cref="ArgumentException">The value contains a lone UTF-16 surrogate.</exception>
    public static string EncodeComponent(string value) => Encode(value, keepSlash: false);

    private static string Encode(string value, bool keepSlash)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (!NeedsEncoding(value, keepSlash))
        {
            return value;
        }

        byte[] bytes = StrictUtf8.GetBytes(value);
        var builder = new StringBuilder(bytes.Length * 3);
        foreach (byte b in bytes)
        {
            AppendByte(builder, b, keepSlash);
        }

        return builder.ToString();
    }

    private static bool NeedsEncoding(string value, bool keepSlash)
    {
        foreach (char c in value)
        {
            if (!IsKept(c, keepSlash))
            {
                return true;
            }
        }

        return false;
    }

    private static void AppendByte(StringBuilder builder, byte b, bool keepSlash)
    {
        char c = (char)b;
        if (IsKept(c, keepSlash))
        {
            builder.Append(c);
            return;
        }

        builder.Append('%').Append(HexDigits[b >> 4]).Append(HexDigits[b & 0xF]);
    }

    private static bool IsKept(char c, bool keepSlash) =>
        char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '~' || (keepSlash && c == '/');
}
