using System.Runtime.Versioning;
using Cake.ObsBuildTasks.Tests.Scripts;
using ObsBuildTasks.Testing.Packages;

namespace Cake.ObsBuildTasks.Tests;

/// <summary>What the Cake.ObsBuildTasks package holds (the copy the script tests load); the checks every package must
/// pass are inherited.</summary>
public sealed class AddinPackageTests(AddinFeed feed) : ShippedPackageTests(new ShippedPackage(
    Path.Combine(feed.Folder, $"Cake.ObsBuildTasks.{feed.Version}.nupkg"), "Cake.ObsBuildTasks", feed.Version, "docs/cake.md",
    ["lib/net10.0/Cake.ObsBuildTasks.dll", "lib/net10.0/ObsBuildTasks.Core.dll"])), IClassFixture<AddinFeed>
{
    [Fact]
    public void Package_is_tagged_as_a_Cake_addin_and_is_no_development_dependency()
    {
        using var nupkg = Open();

        Assert.Contains("cake-addin", nupkg.Value("tags")!.Split(' '));
        Assert.Null(nupkg.Element("developmentDependency"));
    }

    /// <summary>Cake Frosting: the addin is a package reference of the build project, whose output holds the engine.</summary>
    [Fact]
    [SupportedOSPlatform("linux")]
    public async Task A_project_that_references_the_package_gets_both_builds_of_obs_uploader_beside_the_engine_in_its_output()
    {
        using var consumer = await RestoredPackage.RestoreAsync(Path.Combine(feed.Folder, $"Cake.ObsBuildTasks.{feed.Version}.nupkg"), "Cake.ObsBuildTasks",
            feed.Version, program: true);

        var output = await consumer.BuildAsync();

        Assert.True(File.Exists(Path.Combine(output, "ObsBuildTasks.Core.dll")));
        Assert.All(NativeUploaderFile.Builds.Select(build => Path.Combine(output, build)), uploader =>
        {
            Assert.True(NativeUploaderFile.IsLinuxX64Executable(File.ReadAllBytes(uploader)), $"{uploader} is no Linux x64 executable.");
            Assert.True(File.GetUnixFileMode(uploader).HasFlag(UnixFileMode.UserExecute), $"{uploader} has mode {File.GetUnixFileMode(uploader)}.");
        });
    }

    [Fact]
    public void Package_holds_the_addin_with_the_engine_Polly_and_uploader_and_no_Cake()
    {
        using var nupkg = Open();

        Assert.Subset(nupkg.Files.ToHashSet(), new HashSet<string>
        {
            "lib/net10.0/Cake.ObsBuildTasks.dll", "lib/net10.0/Cake.ObsBuildTasks.xml", "lib/net10.0/ObsBuildTasks.Core.dll",
            "lib/net10.0/Polly.Core.dll", "lib/net10.0/uploader/linux-x64/obs-uploader", "lib/net10.0/uploader/linux-x64/obs-uploader-x86-64-v4",
        });
        Assert.All(nupkg.Files, file => Assert.Matches(
            @"^(README\.md|icon\.png|lib/net10\.0/([^/]+\.(dll|xml)|uploader/linux-x64/obs-uploader(-x86-64-v4)?)|(build|buildTransitive)/Cake\.ObsBuildTasks\.targets)$", file));
        Assert.DoesNotContain(nupkg.Files, file => Path.GetFileName(file).StartsWith("Cake.Core", StringComparison.OrdinalIgnoreCase));
    }
}
