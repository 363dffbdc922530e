using System.Runtime.CompilerServices;
using Microsoft.Build.Locator;

namespace ObsBuildTasks.MSBuild.Tests.Infrastructure;

/// <summary>Points Microsoft.Build at the SDK's MSBuild before any of its types is touched.</summary>
internal static class MSBuildRegistration
{
#pragma warning disable CA2255 // A module initializer is the one place that runs before any test loads Microsoft.Build.
    [ModuleInitializer]
    internal static void Register()
    {
        if (!MSBuildLocator.IsRegistered)
        {
            MSBuildLocator.RegisterDefaults();
        }
    }
#pragma warning restore CA2255
}

/// <summary>The tests that build: they set process-wide environment variables, so they never run side by side.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MSBuildTests
{
    public const string Name = "MSBuild";
}
