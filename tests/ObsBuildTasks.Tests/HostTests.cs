using System.Reflection;
using System.Runtime.Loader;
using System.Xml.Linq;
using Microsoft.Build.Framework;
using ObsBuildTasks.MSBuild.Tests.Infrastructure;
using ObsBuildTasks.Testing.Faults;
using ObsBuildTasks.Testing.Store;

namespace ObsBuildTasks.MSBuild.Tests;

/// <summary>How the package's targets run the task: in the .NET task host on request (as on .NET Framework MSBuild),
/// and on an MSBuild too old for it, as a clear error rather than a missing or silently skipped task.</summary>
[Collection(MSBuildTests.Name)]
public sealed class HostTests : IDisposable
{
    private readonly TaskProject _project = new();

    [Fact]
    public async Task Task_runs_in_the_dotnet_task_host_when_asked()
    {
        var store = await LocalObjectStore.GetAsync();
        var path = _project.CreateFile("dist/app.zip", 5000);
        var key = LocalObjectStore.UniqueKey("app.zip");
        _project.Write($"""<Artifacts Include="dist/app.zip" ObjectKey="{key}" />""", TaskProject.StoreTask(store, store.Endpoint));

        var run = await ProjectBuilder.BuildAsync(_project, new BuildSettings
        {
            Environment = EnvironmentScope.StoreCredentials(store),
            GlobalProperties = { ["ObsBuildTasksUseTaskHost"] = "true" },
        });

        Assert.True(run.Succeeded, run.Describe());
        Assert.Contains(run.Messages, message => message.Message?.Contains("external task host", StringComparison.Ordinal) == true);
        Assert.Equal(key, run.Uploaded("app.zip").GetMetadata("ObjectKey"));
        Assert.Equal((TestFiles.Md5(path), 5000L), await store.Reader.HashObjectAsync(store.Bucket, key));
    }

    [Fact]
    public async Task Older_MSBuild_gets_OBS0050_instead_of_the_task()
    {
        var store = await LocalObjectStore.GetAsync();
        await using var proxy = new FaultInjectingProxy(store.Endpoint);
        _project.CreateFile("dist/app.zip", 10);
        _project.Write("""<Artifacts Include="dist/app.zip" />""", TaskProject.StoreTask(store, proxy.Endpoint));

        var run = await ProjectBuilder.BuildAsync(_project, new BuildSettings
        {
            Environment = EnvironmentScope.StoreCredentials(store),
            GlobalProperties = { ["_ObsBuildTasksSupported"] = "false" },
        });

        Assert.False(run.Succeeded);
        var error = Assert.Single(run.Errors);
        Assert.Equal("OBS0050", error.Code);
        Assert.Contains("MSBuild 18", error.Message, StringComparison.Ordinal);
        Assert.Empty(proxy.Requests);
    }

    [Fact]
    public void Fallback_for_older_MSBuild_declares_the_parameters_of_the_task()
    {
        var declared = XDocument.Load(Path.Combine(TaskProject.BuildFolder, "ObsBuildTasks.targets")).Descendants("ParameterGroup").Single()
            .Elements()
            .Select(parameter => $"{parameter.Name.LocalName}: {parameter.Attribute("ParameterType")!.Value}"
                + $"{(parameter.Attribute("Required")?.Value == "true" ? " required" : "")}{(parameter.Attribute("Output")?.Value == "true" ? " output" : "")}")
            .Order();

        var context = new AssemblyLoadContext("reflection", isCollectible: true);
        try
        {
            var task = context.LoadFromAssemblyPath(TaskProject.TaskAssembly).GetType("ObsBuildTasks.MSBuild.ObsUploadFile", throwOnError: true)!;
            var actual = task.GetProperties(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly)
                .Select(property => $"{property.Name}: {property.PropertyType.FullName}"
                    + $"{(property.IsDefined(typeof(RequiredAttribute)) ? " required" : "")}{(property.IsDefined(typeof(OutputAttribute)) ? " output" : "")}")
                .Order();

            Assert.Equal(actual, declared);
        }
        finally
        {
            context.Unload();
        }
    }

    public void Dispose() => _project.Dispose();
}
