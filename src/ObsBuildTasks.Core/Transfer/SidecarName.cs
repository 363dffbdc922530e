using System.Security.Cryptography;
using System.Text;

namespace ObsBuildTasks.Transfer;

/// <summary>
/// The path of a file named after another one beside it (a checkpoint beside the file it records; a checkpoint's lock
/// and temporary file): the other's name and a suffix. A file name may have 255 bytes on common file systems
/// (<c>NAME_MAX</c>), so a name that would be longer is cut short and ends with a hash of the whole name instead: the
/// same path always gets the same sidecar, two long names that differ anywhere get different ones, and a long file name
/// never makes its checkpoint fail.
/// </summary>
internal static class SidecarName
{
    /// <summary>The most bytes (UTF-8) of a file name that every common file system takes.</summary>
    public const int MaxNameBytes = 255;

    private const int HashLength = 16;

    /// <summary><paramref name="path"/> with <paramref name="suffix"/> added, or, when that name would be longer than
    /// <see cref="MaxNameBytes"/>, with the name's end replaced by <c>~</c> and a hash of the whole name.</summary>
    public static string For(string path, string suffix)
    {
        var name = Path.GetFileName(path);
        var suffixBytes = Encoding.UTF8.GetByteCount(suffix);
        if (Encoding.UTF8.GetByteCount(name) + suffixBytes <= MaxNameBytes)
        {
            return path + suffix;
        }

        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(name)))[..HashLength];
        var kept = Start(name, MaxNameBytes - suffixBytes - HashLength - 1);
        return path[..^name.Length] + kept + "~" + hash + suffix;
    }

    /// <summary><paramref name="path"/> itself when its file name fits in <see cref="MaxNameBytes"/>; otherwise cut short
    /// as <see cref="For"/> does, keeping its extension.</summary>
    public static string Fit(string path)
    {
        var extension = Path.GetExtension(path);
        return For(path[..^extension.Length], extension);
    }

    /// <summary>The longest start of <paramref name="name"/> of at most <paramref name="bytes"/> bytes in UTF-8, cut
    /// between characters.</summary>
    private static string Start(string name, int bytes)
    {
        var length = 0;
        foreach (var rune in name.EnumerateRunes())
        {
            bytes -= rune.Utf8SequenceLength;
            if (bytes < 0)
            {
                break;
            }

            length += rune.Utf16SequenceLength;
        }

        return name[..length];
    }
}
