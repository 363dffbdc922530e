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
    /// <paramref name="version"/>, into a library project, or a program (whose output gets the package's assemblies)
    /// when <paramref name="program"/> is set.</summary>
    public static async Task<RestoredPackage> RestoreAsync(string packagePath, string id, string version, bool program = false)
    {
        var restored = new RestoredPackage(id, version);
        var root = restored._files.Root;
        FolderFeed.WriteNuGetConfig(root, "under-test", Path.GetDirectoryName(packagePath)!);
        if (program)
        {
            await File.WriteAllTextAsync(Path.Combine(root, "Program.cs"), "return 0;\n");
        }

        await File.WriteAllTextAsync(Path.Combine(root, "Consumer.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>{(program ? "Exe" : "Library")}</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <NuGetAudit>false</NuGetAudit>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="{id}" Version="[{version}]" />
              </ItemGroup>
            </Project>
            """);
        await restored.RunDotNetAsync("restore", "-nologo");
        return restored;
    }

    /// <summary>Builds the consumer project; returns its output folder.</summary>
    public async Task<string> BuildAsync()
    {
        await RunDotNetAsync("build", "--no-restore", "-nologo");
        return Path.Combine(_files.Root, "bin", "Debug", "net10.0");
    }

    public void Dispose() => _files.Dispose();

    private async Task RunDotNetAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet", arguments)
        {
            WorkingDirectory = _files.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["NUGET_PACKAGES"] = Path.Combine(_files.Root, ".packages");
        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        start.Environment["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0";
        using var process = new RunningProcess(start);
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, process.Output);
    }
}
