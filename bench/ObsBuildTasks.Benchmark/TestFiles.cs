using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ObsBuildTasks.Benchmark;

/// <summary>The MD5s of every generated file: whole, and per part of the benchmark's part size.</summary>
internal sealed class Manifest
{
    public static Manifest Empty { get; } = new();

    public Dictionary<string, ManifestEntry> Files { get; init; } = new(StringComparer.Ordinal);

    public static Manifest Load(string path) =>
        File.Exists(path) ? JsonSerializer.Deserialize(File.ReadAllText(path), ManifestJson.Default.Manifest) ?? new Manifest() : new Manifest();

    public void Save(string path) => File.WriteAllText(path, JsonSerializer.Serialize(this, ManifestJson.Default.Manifest));

    /// <summary>The MD5 (hex) of part <paramref name="partNumber"/> of the file, when its length is the planned one.</summary>
    public string? PartMd5(string name, int partNumber, long length)
    {
        if (!Files.TryGetValue(name, out var entry) || partNumber < 1 || partNumber > entry.Parts.Count)
        {
            return null;
        }

        var expected = Math.Min(entry.PartSize, entry.Size - ((partNumber - 1) * entry.PartSize));
        return expected == length ? entry.Parts[partNumber - 1] : null;
    }

    /// <summary>The size of the generated file <paramref name="name"/>, when the manifest has it.</summary>
    public long? Size(string name) => Files.TryGetValue(name, out var entry) ? entry.Size : null;

    public string? WholeMd5(string name, long length) =>
        Files.TryGetValue(name, out var entry) && entry.Size == length ? entry.Whole : null;
}

internal sealed record ManifestEntry(long Size, long PartSize, DateTime LastWriteTimeUtc, string Whole, List<string> Parts);

[JsonSerializable(typeof(Manifest))]
[JsonSourceGenerationOptions(WriteIndented = true)]
internal sealed partial class ManifestJson : JsonSerializerContext;

/// <summary>Generates the benchmark's files (random, incompressible bytes) once and keeps them between runs.</summary>
internal static class TestFiles
{
    /// <summary>Makes <paramref name="path"/> a file of <paramref name="size"/> random bytes unless the manifest already
    /// describes it (same size, time and part size), and records its MD5s.</summary>
    public static void Ensure(Manifest manifest, string path, long size, long partSize)
    {
        var name = Path.GetFileName(path);
        var info = new FileInfo(path);
        if (info.Exists && info.Length == size && manifest.Files.TryGetValue(name, out var known)
            && known.Size == size && known.PartSize == partSize && known.LastWriteTimeUtc == info.LastWriteTimeUtc)
        {
            return;
        }

        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var parts = new List<string>();
        using var whole = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
        using var part = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
        var buffer = new byte[1024 * 1024];
        var random = new Random(); // xoshiro256**: GB/s; the content only has to be incompressible
        var temporary = path + ".tmp";
        using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20))
        {
            long written = 0;
            long inPart = 0;
            while (written < size)
            {
                var count = (int)Math.Min(buffer.Length, Math.Min(size - written, partSize - inPart));
                random.NextBytes(buffer.AsSpan(0, count));
                stream.Write(buffer, 0, count);
                whole.AppendData(buffer, 0, count);
                part.AppendData(buffer, 0, count);
                written += count;
                inPart += count;
                if (inPart == partSize || written == size)
                {
                    parts.Add(Convert.ToHexStringLower(part.GetHashAndReset()));
                    inPart = 0;
                }
            }
        }

        File.Move(temporary, path, overwrite: true);
        manifest.Files[name] = new ManifestEntry(size, partSize, File.GetLastWriteTimeUtc(path),
            Convert.ToHexStringLower(whole.GetHashAndReset()), parts);
    }
}
