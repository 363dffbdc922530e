using ObsBuildTasks.MSBuild.Tests.Infrastructure;
using ObsBuildTasks.Testing;
using ObsBuildTasks.Testing.Packages;

namespace ObsBuildTasks.MSBuild.Tests;

/// <summary>What the ObsBuildTasks package holds; the checks every package must pass are inherited.</summary>
public sealed class PackageContentTests(PackedPackage packed) : ShippedPackageTests(new ShippedPackage(
    packed.PackagePath, "ObsBuildTasks", packed.Version, "docs/msbuild.md",
    ["tasks/net10.0/ObsBuildTasks.dll", "tasks/net10.0/ObsBuildTasks.Core.dll"])), IClassFixture<PackedPackage>
{
    [Fact]
    public void Package_is_a_development_dependency_tagged_as_an_MSBuild_task()
    {
        using var nupkg = Open();

        Assert.Equal("true", nupkg.Value("developmentDependency"));
        Assert.Null(nupkg.Element("dependencies"));
        Assert.Subset(nupkg.Value("tags")!.Split(' ').ToHashSet(), new HashSet<string> { "msbuild", "msbuild-task" });
    }

    [Fact]
    public void Package_holds_the_targets_and_the_task_with_its_dependencies_and_uploader_and_no_MSBuild()
    {
        using var nupkg = Open();

        Assert.Subset(nupkg.Files.ToHashSet(), new HashSet<string>
        {
            "build/ObsBuildTasks.props", "build/ObsBuildTasks.targets",
            "buildMultiTargeting/ObsBuildTasks.props", "buildMultiTargeting/ObsBuildTasks.targets",
            "tasks/net10.0/ObsBuildTasks.dll", "tasks/net10.0/ObsBuildTasks.Core.dll", "tasks/net10.0/Polly.Core.dll",
            "tasks/net10.0/ObsBuildTasks.deps.json", "tasks/net10.0/uploader/linux-x64/obs-uploader",
            "tasks/net10.0/uploader/linux-x64/obs-uploader-x86-64-v4",
        });
        Assert.All(nupkg.Files, file => Assert.Matches(
            @"^(README\.md|icon\.png|build/[^/]+\.(props|targets)|buildMultiTargeting/[^/]+\.(props|targets)|tasks/net10\.0/([^/]+\.(dll|deps\.json|xml)|uploader/linux-x64/obs-uploader(-x86-64-v4)?))$",
            file));
        Assert.DoesNotContain(nupkg.Files, file => Path.GetFileName(file).StartsWith("Microsoft.Build", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void Task_engine_and_Polly_are_packed_as_ReadyToRun_images()
    {
        var images = ReadyToRunImage.InPackage(packed.PackagePath, "tasks/net10.0/");

        Assert.Equal(new Dictionary<string, bool> { ["ObsBuildTasks.dll"] = true, ["ObsBuildTasks.Core.dll"] = true, ["Polly.Core.dll"] = true }, images);
    }
}
