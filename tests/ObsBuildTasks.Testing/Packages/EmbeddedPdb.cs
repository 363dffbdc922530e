using System.Collections.Immutable;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Text.Json;
using Xunit;

namespace ObsBuildTasks.Testing.Packages;

/// <summary>What the portable PDB embedded in an assembly says about its sources.</summary>
public sealed class EmbeddedPdb
{
    private static readonly Guid SourceLinkKind = new("CC110556-A091-4D38-9FEC-25AB9A351A6A");
    private static readonly Guid EmbeddedSourceKind = new("0E8A571B-6926-466E-B4AD-8AB04611F5FE");

    private EmbeddedPdb(IReadOnlyDictionary<string, string> sourceLink, IReadOnlyList<string> documents, IReadOnlySet<string> embedded)
    {
        SourceLink = sourceLink;
        Documents = documents;
        EmbeddedDocuments = embedded;
    }

    /// <summary>The Source Link map: a path pattern (ending in <c>*</c>) to the URL pattern of the same files.</summary>
    public IReadOnlyDictionary<string, string> SourceLink { get; }

    /// <summary>The paths of the source files, as the compiler recorded them.</summary>
    public IReadOnlyList<string> Documents { get; }

    /// <summary>The documents whose text is inside the PDB.</summary>
    public IReadOnlySet<string> EmbeddedDocuments { get; }

    /// <summary>Reads the PDB embedded in <paramref name="assembly"/>; fails the test when there is none.</summary>
    public static EmbeddedPdb Read(byte[] assembly)
    {
        using var pe = new PEReader(ImmutableArray.Create(assembly));
        var entry = Assert.Single(pe.ReadDebugDirectory(), entry => entry.Type == DebugDirectoryEntryType.EmbeddedPortablePdb);
        using var provider = pe.ReadEmbeddedPortablePdbDebugDirectoryData(entry);
        var reader = provider.GetMetadataReader();

        var sourceLink = new Dictionary<string, string>();
        var embedded = new HashSet<string>();
        foreach (var information in reader.CustomDebugInformation.Select(reader.GetCustomDebugInformation))
        {
            var kind = reader.GetGuid(information.Kind);
            if (kind == SourceLinkKind)
            {
                using var json = JsonDocument.Parse(reader.GetBlobBytes(information.Value));
                foreach (var mapping in json.RootElement.GetProperty("documents").EnumerateObject())
                {
                    sourceLink.Add(mapping.Name, mapping.Value.GetString()!);
                }
            }
            else if (kind == EmbeddedSourceKind && information.Parent.Kind == HandleKind.Document)
            {
                embedded.Add(reader.GetString(reader.GetDocument((DocumentHandle)information.Parent).Name));
            }
        }

        var documents = reader.Documents.Select(document => reader.GetString(reader.GetDocument(document).Name)).ToList();
        return new EmbeddedPdb(sourceLink, documents, embedded);
    }
}
