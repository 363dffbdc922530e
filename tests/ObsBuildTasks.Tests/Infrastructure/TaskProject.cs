using System.Reflection;
using System.Security;
using ObsBuildTasks.Testing.Store;

namespace ObsBuildTasks.MSBuild.Tests.Infrastructure;

/// <summary>
/// A project in a temporary folder that imports the package's props and targets from the source tree, points
/// <c>ObsBuildTasksAssembly</c> at the freshly built task, and calls <c>ObsUploadFile</c> in its <see cref="Target"/>.
/// </summary>
internal sealed class TaskProject : IDisposable
{
    public const string Target = "Upload";

    private readonly TestFiles _files = new();

    /// <summary>The project folder (also the folder files are created in).</summary>
    public string Directory => _files.Root;

    public string ProjectPath => Path.Combine(Directory, "upload.proj");

    /// <summary>The task assembly the test project was built with.</summary>
    public static string TaskAssembly { get; } = typeof(TaskProject).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(attribute => attribute.Key == "ObsBuildTasksAssembly").Value!;

    /// <summary>The folder of the package's build/ObsBuildTasks.props and .targets in the source tree.</summary>
    public static string BuildFolder { get; } = Path.Combine(LocalObjectStore.RepositoryRoot(), "src", "ObsBuildTasks", "build");

    /// <summary>Creates a file of pseudo-random bytes below the project folder and returns its full path.</summary>
    public string CreateFile(string relativePath, long size, int seed = 1) => _files.Create(relativePath, size, seed);

    /// <summary>The default checkpoint folder of this project.</summary>
    public string CheckpointDirectory => Path.Combine(Directory, "obj", "obs");

    /// <summary>Writes the project: <paramref name="items"/> is the body of an ItemGroup; <paramref name="task"/> the
    /// task's attributes (values are XML-escaped here, MSBuild syntax such as <c>@(Artifacts)</c> stays).</summary>
    public void Write(string items, IReadOnlyDictionary<string, string> task)
    {
        var attributes = string.Join(' ', task.Select(pair => $"{pair.Key}=\"{SecurityElement.Escape(pair.Value)}\""));
        File.WriteAllText(ProjectPath, $"""
            <Project>
              <Import Project="{BuildFolder}/ObsBuildTasks.props" />
              <PropertyGroup>
                <ObsBuildTasksAssembly>{TaskAssembly}</ObsBuildTasksAssembly>
              </PropertyGroup>
              <ItemGroup>
                {items}
              </ItemGroup>
              <Target Name="{Target}" Returns="@(Uploaded)">
                <ObsUploadFile {attributes}>
                  <Output TaskParameter="UploadedFiles" ItemName="Uploaded" />
                </ObsUploadFile>
              </Target>
              <Import Project="{BuildFolder}/ObsBuildTasks.targets" />
            </Project>
            """);
    }

    /// <summary>The attributes every test starts from: the test bucket at <paramref name="endpoint"/>, V4 signing.</summary>
    public static Dictionary<string, string> StoreTask(LocalObjectStore store, Uri endpoint, string files = "@(Artifacts)") => new()
    {
        ["Bucket"] = store.Bucket,
        ["Files"] = files,
        ["Endpoint"] = endpoint.ToString(),
        ["Signature"] = "V4",
        ["Region"] = LocalObjectStore.Region,
    };

    public void Dispose() => _files.Dispose();
}
