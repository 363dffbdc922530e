using System.Runtime.Versioning;
using Xunit;

namespace ObsBuildTasks.Testing.Packages;

/// <summary>What every package this repository ships must be: a complete nuspec, a readme whose links work on a
/// feed's page, and PDBs that lead a debugger to the sources. A subclass names the package and adds what only that
/// package holds.</summary>
public abstract class ShippedPackageTests(ShippedPackage package)
{
    /// <summary>The repository, as the packages must name it.</summary>
    public const string RepositoryUrl = "https://github.com/obsbuildtasks/ObsBuildTasks";

    private const string BlobUrl = RepositoryUrl + "/blob/main/";

    [Fact]
    public void Nuspec_names_the_package_authors_license_repository_commit_project_icon_and_readme_and_no_dependency()
    {
        using var nupkg = Open();

        Assert.Equal(package.Id, nupkg.Value("id"));
        Assert.Equal(package.Version, nupkg.Value("version"));
        Assert.Equal("ObsBuildTasks contributors", nupkg.Value("authors"));
        Assert.Equal(("expression", "MIT"), (nupkg.Element("license")?.Attribute("type")?.Value, nupkg.Value("license")));
        var repository = nupkg.Element("repository");
        Assert.Equal(("git", RepositoryUrl, SourceRepository.HeadCommit),
            (repository?.Attribute("type")?.Value, repository?.Attribute("url")?.Value, repository?.Attribute("commit")?.Value));
        Assert.Equal(RepositoryUrl, nupkg.Value("projectUrl"));
        Assert.Equal(File.ReadAllBytes(Path.Combine(SourceRepository.Root, "eng", "package-icon.png")), nupkg.ReadBytes(nupkg.Value("icon")!));
        Assert.Contains(nupkg.Value("readme"), nupkg.Files);
        Assert.DoesNotContain(nupkg.Metadata.Descendants(), element => element.Name.LocalName == "dependency");
    }

    [Fact]
    public void Readme_is_the_document_with_every_relative_link_made_absolute()
    {
        using var nupkg = Open();
        var (document, documentTargets) = MarkdownLinks.Split(File.ReadAllText(Path.Combine(SourceRepository.Root, package.ReadmeDocument)));
        var (readme, readmeTargets) = MarkdownLinks.Split(nupkg.ReadText(nupkg.Value("readme")!));

        Assert.Equal(document, readme);
        Assert.All(readmeTargets, target => Assert.True(IsWebAddress(target), $"{target} is a relative link."));
        Assert.All(documentTargets.Zip(readmeTargets), link =>
        {
            if (IsWebAddress(link.First))
            {
                Assert.Equal(link.First, link.Second);
                return;
            }

            Assert.StartsWith(BlobUrl, link.Second);
            var path = Path.Combine(SourceRepository.Root, Uri.UnescapeDataString(link.Second[BlobUrl.Length..].Split('#')[0]));
            Assert.True(File.Exists(path) || Directory.Exists(path), $"{link.First} became {link.Second}, which is not in the repository.");
        });
    }

    /// <summary>Source paths start with <c>/_/</c> in CI builds and with the repository's folder in others; sources git
    /// does not track (generated ones) are inside the PDB.</summary>
    [Fact]
    public void Assemblies_embed_PDBs_that_link_their_sources_to_the_commit_on_GitHub()
    {
        using var nupkg = Open();
        var root = SourceRepository.BuiltForContinuousIntegration ? "/_/" : SourceRepository.Root + "/";
        var files = RepositoryUrl.Replace("https://github.com/", "https://raw.githubusercontent.com/", StringComparison.Ordinal)
            + "/" + SourceRepository.HeadCommit + "/*";

        Assert.All(package.OwnAssemblies, assembly =>
        {
            var pdb = EmbeddedPdb.Read(nupkg.ReadBytes(assembly));
            Assert.Equal(new Dictionary<string, string> { [root + "*"] = files }, pdb.SourceLink);
            Assert.All(pdb.Documents, document => Assert.StartsWith(root, document));
            Assert.All(pdb.Documents.Except(pdb.EmbeddedDocuments), document => Assert.Contains(document[root.Length..], SourceRepository.TrackedFiles));
        });
    }

    [Fact]
    public void Package_ships_both_builds_of_obs_uploader_beside_the_engine_as_Linux_x64_executables()
    {
        using var nupkg = Open();

        Assert.All(NativeUploaderFile.BesideEngineAmong(package.OwnAssemblies), uploader =>
        {
            Assert.Contains(uploader, nupkg.Files);
            Assert.True(NativeUploaderFile.IsLinuxX64Executable(nupkg.ReadBytes(uploader)), $"{uploader} is no Linux x64 executable.");
        });
    }

    /// <summary>NuGet keeps no file mode from the package: it extracts every file with mode 0766 less the umask (0744
    /// with the usual 022), whatever the package says.</summary>
    [Fact]
    [SupportedOSPlatform("linux")]
    public async Task Restored_package_lets_its_owner_run_both_builds_of_obs_uploader()
    {
        using var restored = await RestoredPackage.RestoreAsync(package.Path, package.Id, package.Version);

        Assert.All(NativeUploaderFile.BesideEngineAmong(package.OwnAssemblies).Select(path => Path.Combine(restored.Folder, path)), uploader =>
        {
            Assert.True(File.Exists(uploader), $"{uploader} is missing.");
            Assert.True(File.GetUnixFileMode(uploader).HasFlag(UnixFileMode.UserExecute), $"{uploader} has mode {File.GetUnixFileMode(uploader)}.");
        });
    }

    /// <summary>Opens the package.</summary>
    protected NuGetPackage Open() => new(package.Path);

    private static bool IsWebAddress(string target) =>
        Uri.TryCreate(target, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp);
}
