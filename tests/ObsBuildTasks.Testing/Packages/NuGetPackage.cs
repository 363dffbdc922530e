using System.IO.Compression;
using System.Xml.Linq;

namespace ObsBuildTasks.Testing.Packages;

/// <summary>A .nupkg opened for reading: its nuspec metadata and its files.</summary>
public sealed class NuGetPackage : IDisposable
{
    private readonly ZipArchive _archive;

    public NuGetPackage(string path)
    {
        _archive = ZipFile.OpenRead(path);
        using var nuspec = _archive.Entries.Single(entry => entry.FullName == entry.Name && entry.Name.EndsWith(".nuspec", StringComparison.Ordinal)).Open();
        Metadata = XDocument.Load(nuspec).Root!.Elements().Single(element => element.Name.LocalName == "metadata");
        Files = _archive.Entries.Select(entry => entry.FullName).Where(IsPackageFile).ToList();
    }

    /// <summary>The nuspec's <c>metadata</c> element.</summary>
    public XElement Metadata { get; }

    /// <summary>The paths of the package's own files: every entry but the nuspec and the parts that the package format
    /// adds (<c>_rels/</c>, <c>package/</c>, <c>[Content_Types].xml</c>).</summary>
    public IReadOnlyList<string> Files { get; }

    /// <summary>The metadata element <paramref name="name"/>, if the nuspec has it.</summary>
    public XElement? Element(string name) => Metadata.Elements().SingleOrDefault(element => element.Name.LocalName == name);

    /// <summary>The text of the metadata element <paramref name="name"/>, if the nuspec has it.</summary>
    public string? Value(string name) => Element(name)?.Value;

    /// <summary>The bytes of the file at <paramref name="path"/>.</summary>
    public byte[] ReadBytes(string path)
    {
        using var stream = _archive.GetEntry(path)?.Open() ?? throw new FileNotFoundException($"The package has no {path}.");
        using var bytes = new MemoryStream();
        stream.CopyTo(bytes);
        return bytes.ToArray();
    }

    /// <summary>The text of the file at <paramref name="path"/>.</summary>
    public string ReadText(string path)
    {
        using var reader = new StreamReader(new MemoryStream(ReadBytes(path)));
        return reader.ReadToEnd();
    }

    public void Dispose() => _archive.Dispose();

    private static bool IsPackageFile(string path) =>
        !path.EndsWith(".nuspec", StringComparison.Ordinal) && path != "[Content_Types].xml"
        && !path.StartsWith("_rels/", StringComparison.Ordinal) && !path.StartsWith("package/", StringComparison.Ordinal);
}
