using ObsBuildTasks.Testing;
using ObsBuildTasks.Testing.Packages;
using ObsBuildTasks.Testing.Store;

namespace ObsBuildTasks.MSBuild.Tests.Infrastructure;

/// <summary>
/// A fresh SDK project that restores the packed ObsBuildTasks package from a local folder feed into a package folder
/// of its own (a shared cache could serve an older build of the same version), built through the dotnet CLI as users
/// and CI do.
/// </summary>
internal sealed class ConsumerProject : IDisposable
{
    private readonly TestFiles _files = new();
    private readonly PackedPackage _package;

    /// <param name="package">The package under test.</param>
    /// <param name="body">What goes inside <c>&lt;Project Sdk="Microsoft.NET.Sdk"&gt;</c> besides the package reference.</param>
    public ConsumerProject(PackedPackage package, string body)
    {
        _package = package;
        FolderFeed.WriteNuGetConfig(Directory, "local", package.Feed);
        File.WriteAllText(Path.Combine(Directory, "Consumer.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <NuGetAudit>false</NuGetAudit>
                <CheckEolTargetFramework>false</CheckEolTargetFramework>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="ObsBuildTasks" Version="{package.Version}" />
              </ItemGroup>
            {body}
            </Project>
            """);
    }

    public string Directory => _files.Root;

    /// <summary>Creates a file of pseudo-random bytes below the project folder and returns its full path.</summary>
    public string CreateFile(string relativePath, long size, int seed = 1) => _files.Create(relativePath, size, seed);

    /// <summary>Writes <paramref name="text"/> to a file below the project folder (another project, a traversal).</summary>
    public void WriteFile(string relativePath, string text)
    {
        var path = Path.Combine(Directory, relativePath);
        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }

    /// <summary>Runs <c>dotnet</c> in the project folder with <paramref name="environment"/> and the project's own
    /// package folder.</summary>
    public Task<(int ExitCode, string Output)> RunAsync(IReadOnlyDictionary<string, string?> environment, params string[] arguments) =>
        DotNetCli.RunAsync(Directory, WithPackages(environment), arguments);

    /// <summary>Starts <c>dotnet</c> as <see cref="RunAsync"/> runs it, in a session of its own, and returns at once.</summary>
    public RunningProcess Start(IReadOnlyDictionary<string, string?> environment, params string[] arguments) =>
        DotNetCli.Start(Directory, WithPackages(environment), arguments);

    private Dictionary<string, string?> WithPackages(IReadOnlyDictionary<string, string?> environment) =>
        new(environment) { ["NUGET_PACKAGES"] = Path.Combine(Directory, ".packages") };

    /// <summary>Whether the package the project restored is the one under test.</summary>
    public bool RestoredThePackage() =>
        File.Exists(Path.Combine(Directory, ".packages", "obsbuildtasks", _package.Version, "tasks", "net10.0", "ObsBuildTasks.dll"));

    public void Dispose() => _files.Dispose();
}
