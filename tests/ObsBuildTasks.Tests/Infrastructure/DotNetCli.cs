using System.Diagnostics;
using ObsBuildTasks.Testing;

namespace ObsBuildTasks.MSBuild.Tests.Infrastructure;

/// <summary>Runs the <c>dotnet</c> CLI as a separate process, the way a user or CI would.</summary>
internal static class DotNetCli
{
    /// <summary>Runs <c>dotnet</c> with <paramref name="arguments"/>; returns the exit code and stdout + stderr.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(string workingDirectory, IReadOnlyDictionary<string, string?> environment,
        params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet", arguments)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(WithEnvironment(start, environment))!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output + await error);
    }

    /// <summary>Starts <c>dotnet</c> with <paramref name="arguments"/> in a session of its own, for a test that signals
    /// it mid-build.</summary>
    public static RunningProcess Start(string workingDirectory, IReadOnlyDictionary<string, string?> environment, params string[] arguments) =>
        new(WithEnvironment(RunningProcess.InSessionOfItsOwn("dotnet", arguments, workingDirectory), environment));

    private static ProcessStartInfo WithEnvironment(ProcessStartInfo start, IReadOnlyDictionary<string, string?> environment)
    {
        // No terminal logger, no node or compiler server left behind by the child.
        start.Environment["MSBUILDTERMINALLOGGER"] = "off";
        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        start.Environment["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0";
        start.Environment["UseSharedCompilation"] = "false";
        foreach (var (name, value) in environment)
        {
            if (value is null)
            {
                start.Environment.Remove(name);
            }
            else
            {
                start.Environment[name] = value;
            }
        }

        return start;
    }
}
