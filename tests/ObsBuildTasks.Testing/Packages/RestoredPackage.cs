using System.Diagnostics;
using ObsBuildTasks.Testing.Store;
using Xunit;

namespace ObsBuildTasks.Testing.Packages;

/// <summary>A package as NuGet lays it out on a consumer's disk: a fresh project that references it, restored with
/// <c>dotnet restore</c> from the package's folder (as a local feed) into a package folder of its own.</summary>
public sealed class RestoredPackage : IDisposable
{
    private readonly TestFiles _files = new();

    private RestoredPackage(string id, string version) =>
        Folder = Path.Combine(_files.Root, ".packages", id.ToLowerInvariant(), version.ToLowerInvariant());

    /// <summary>Where the package's files are.</summary>
    public string Folder { get; }

    /// <summary>Restores the package at <paramref name="packagePath"/>, <paramref name="id"/> version
    /// <paramref name="version"/>.</summary>
    public static async Task<RestoredPackage> RestoreAsync(string packagePath, string id, string version)
    {
        var restored = new RestoredPackage(id, version);
        var root = restored._files.Root;
        FolderFeed.WriteNuGetConfig(root, "under-test", Path.GetDirectoryName(packagePath)!);
        await File.WriteAllTextAsync(Path.Combine(root, "Consumer.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <NuGetAudit>false</NuGetAudit>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="{id}" Version="[{version}]" />
              </ItemGroup>
            </Project>
            """);
        var start = new ProcessStartInfo("dotnet", ["restore", "-nologo"])
        {
            WorkingDirectory = root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["NUGET_PACKAGES"] = Path.Combine(root, ".packages");
        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        start.Environment["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0";
        using var restore = new RunningProcess(start);
        await restore.WaitForExitAsync();
        Assert.True(restore.ExitCode == 0, restore.Output);
        return restored;
    }

    public void Dispose() => _files.Dispose();
}
