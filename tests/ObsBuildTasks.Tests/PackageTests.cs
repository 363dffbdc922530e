using ObsBuildTasks.MSBuild.Tests.Infrastructure;
using ObsBuildTasks.Testing.Store;

namespace ObsBuildTasks.MSBuild.Tests;

/// <summary>The package as users get it: a fresh project that restores it from a folder feed and uploads with it
/// through the dotnet CLI. What is inside: <see cref="PackageContentTests"/>.</summary>
[Collection(MSBuildTests.Name)]
public sealed class PackageTests : IDisposable, IClassFixture<PackedPackage>
{
    private readonly TestFiles _files = new();
    private readonly PackedPackage _package;

    public PackageTests(PackedPackage package) => _package = package;

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
