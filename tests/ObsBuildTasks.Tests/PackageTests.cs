using System.IO.Compression;
using System.Xml.Linq;
using ObsBuildTasks.MSBuild.Tests.Infrastructure;
using ObsBuildTasks.Testing;
using ObsBuildTasks.Testing.Store;

namespace ObsBuildTasks.MSBuild.Tests;

/// <summary>The package as users get it: what is inside, and a fresh project that restores it from a folder feed
/// and uploads with it through the dotnet CLI.</summary>
[Collection(MSBuildTests.Name)]
public sealed class PackageTests : IDisposable, IClassFixture<PackedPackage>
{
    private readonly TestFiles _files = new();
    private readonly PackedPackage _package;

    public PackageTests(PackedPackage package) => _package = package;

    [Fact]
    public void Package_is_a_development_dependency_holding_the_task_its_dependencies_and_no_MSBuild()
    {
        using var package = ZipFile.OpenRead(_package.PackagePath);
        var entries = package.Entries.Select(entry => entry.FullName).ToList();

        Assert.Subset(entries.ToHashSet(), new HashSet<string>
        {
            "build/ObsBuildTasks.props", "build/ObsBuildTasks.targets",
            "buildMultiTargeting/ObsBuildTasks.props", "buildMultiTargeting/ObsBuildTasks.targets",
            "tasks/net10.0/ObsBuildTasks.dll", "tasks/net10.0/ObsBuildTasks.Core.dll", "tasks/net10.0/Polly.Core.dll",
            "tasks/net10.0/ObsBuildTasks.deps.json",
        });
        Assert.DoesNotContain(entries, entry => Path.GetFileName(entry).StartsWith("Microsoft.Build", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(entries, entry => entry.StartsWith("lib/", StringComparison.Ordinal));
        using var nuspec = package.Entries.Single(entry => entry.FullName.EndsWith(".nuspec", StringComparison.Ordinal)).Open();
        var metadata = XDocument.Load(nuspec).Root!.Elements().Single(element => element.Name.LocalName == "metadata");
        Assert.Equal("true", metadata.Elements().Single(element => element.Name.LocalName == "developmentDependency").Value);
        Assert.DoesNotContain(metadata.Elements(), element => element.Name.LocalName == "dependencies");
    }

    [Fact]
    public void Task_engine_and_Polly_are_packed_as_ReadyToRun_images()
    {
        var images = ReadyToRunImage.InPackage(_package.PackagePath, "tasks/net10.0/");

        Assert.Equal(new Dictionary<string, bool> { ["ObsBuildTasks.dll"] = true, ["ObsBuildTasks.Core.dll"] = true, ["Polly.Core.dll"] = true }, images);
    }

    [Fact]
    public async Task Fresh_consumer_restores_the_package_from_a_folder_feed_and_uploads()
    {
        var store = await LocalObjectStore.GetAsync();
        var packages = Path.Combine(_files.Root, "packages");
        var consumer = Directory.CreateDirectory(Path.Combine(_files.Root, "consumer")).FullName;
        var file = _files.Create("consumer/dist/app.zip", 300_000);
        var prefix = LocalObjectStore.UniqueKey("consumer") + "/";
        File.WriteAllText(Path.Combine(consumer, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="local" value="{_package.Feed}" />
              </packageSources>
            </configuration>
            """);
        File.WriteAllText(Path.Combine(consumer, "Consumer.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <NuGetAudit>false</NuGetAudit>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="ObsBuildTasks" Version="{_package.Version}" />
                <Artifacts Include="dist/**/*" />
              </ItemGroup>
              <Target Name="Upload">
                <ObsUploadFile Bucket="{store.Bucket}" Files="@(Artifacts)" ObjectKeyPrefix="{prefix}" Signature="V4" PartSize="102400" TaskNum="2" />
              </Target>
            </Project>
            """);
        var environment = EnvironmentScope.StoreCredentials(store, endpoint: store.Endpoint.ToString());
        environment["NUGET_PACKAGES"] = packages;

        var (exitCode, output) = await DotNetCli.RunAsync(consumer, environment, "msbuild", "-restore", "-t:Upload", "-nologo", "-v:n");

        Assert.True(exitCode == 0, output);
        Assert.True(File.Exists(Path.Combine(packages, "obsbuildtasks", _package.Version, "tasks", "net10.0", "ObsBuildTasks.dll")), output);
        Assert.Equal((TestFiles.Md5(file), 300_000L), await store.Reader.HashObjectAsync(store.Bucket, prefix + "app.zip"));
    }

    public void Dispose() => _files.Dispose();
}
