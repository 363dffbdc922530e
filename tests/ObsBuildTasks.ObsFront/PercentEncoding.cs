using System.Globalization;
using System.Text;

namespace ObsBuildTasks.ObsFront;

/// <summary>
/// Percent-decoding of raw URI parts to bytes and RFC 3986 re-encoding of those bytes: every byte but the unreserved
/// characters <c>A-Z a-z 0-9 - _ . ~</c> (and <c>/</c> in paths) becomes <c>%XX</c> with uppercase hex digits. A
/// canonical form is the same whatever encoding a client chose for its request line.
/// </summary>
public static class PercentEncoding
{
    private const string HexDigits = "0123456789ABCDEF";

    /// <summary>The bytes a raw URI part stands for. <c>%XX</c> is decoded; a <c>%</c> not followed by two hex
    /// digits stays as it is. With <paramref name="plusIsSpace"/> (form decoding, as query parsers do) <c>+</c> is a space.</summary>
    public static byte[] Decode(string raw, bool plusIsSpace = false)
    {
        ArgumentNullException.ThrowIfNull(raw);
        var input = Encoding.UTF8.GetBytes(raw);
        var output = new byte[input.Length];
        var length = 0;
        for (var i = 0; i < input.Length; i++)
        {
            if (input[i] == '%' && i + 2 < input.Length
                && byte.TryParse(input.AsSpan(i + 1, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var value))
            {
                output[length++] = value;
                i += 2;
            }
            else
            {
                output[length++] = plusIsSpace && input[i] == '+' ? (byte)' ' : input[i];
            }
        }

        return output[..length];
    }

    /// <summary>The text a raw URI part stands for (its decoded bytes read as UTF-8).</summary>
    public static string DecodeToString(string raw, bool plusIsSpace = false) => Encoding.UTF8.GetString(Decode(raw, plusIsSpace));

    /// <summary>Encodes bytes, keeping the unreserved characters and, with <paramref name="keepSlash"/>, <c>/</c>.</summary>
    public static string Encode(ReadOnlySpan<byte> bytes, bool keepSlash)
    {
        var builder = new StringBuilder(bytes.Length);
        foreach (var b in bytes)
        {
            if (char.IsAsciiLetterOrDigit((char)b) || b is (byte)'-' or (byte)'_' or (byte)'.' or (byte)'~' || (keepSlash && b == '/'))
            {
                builder.Append((char)b);
            }
            else
            {
                builder.Append('%').Append(HexDigits[b >> 4]).Append(HexDigits[b & 0xF]);
            }
        }

        return builder.ToString();
    }

    /// <summary>Decodes a raw URI part and encodes it again: its canonical form.</summary>
    public static string Canonicalize(string raw, bool keepSlash, bool plusIsSpace = false) => Encode(Decode(raw, plusIsSpace), keepSlash);
}
