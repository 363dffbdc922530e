using System.Diagnostics;
using System.Text.Json;
using ObsBuildTasks.ObsFront.Tests.Infrastructure;
using ObsBuildTasks.Testing.Store;

namespace ObsBuildTasks.ObsFront.Tests.Clients;

/// <summary>
/// Huawei's Node.js OBS SDK, installed with npm into artifacts/node/ (ignored by git; kept between runs, so only the
/// first run downloads it), and the script that drives it (Clients/obs-sdk.js).
/// </summary>
internal static class NodeSdk
{
    private const string Package = "esdk-obs-nodejs@3.26.8";
    private static readonly Lazy<Task<string>> Installed = new(InstallAsync);

    /// <summary>Runs <c>node obs-sdk.js {arguments}</c> with the front's settings and returns its JSON line.</summary>
    public static async Task<JsonElement> RunAsync(LocalObsFront front, bool temporary, params string[] arguments)
    {
        var start = new ProcessStartInfo("node") { ArgumentList = { Path.Combine(AppContext.BaseDirectory, "Clients", "obs-sdk.js") } };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in front.Settings)
        {
            start.Environment[name] = value;
        }

        start.Environment["OBS_SDK_DIR"] = await Installed.Value;
        start.Environment["OBS_SDK_TEMPORARY"] = temporary ? "1" : "0";
        var (exitCode, output, error) = await ChildProcess.RunAsync(start, TimeSpan.FromMinutes(5));
        Assert.True(exitCode == 0, $"node obs-sdk.js {string.Join(' ', arguments)} failed ({exitCode}):\n{error}");
        using var document = JsonDocument.Parse(output.Trim().Split('\n')[^1]);
        return document.RootElement.Clone();
    }

    private static async Task<string> InstallAsync()
    {
        var folder = Path.Combine(LocalObjectStore.RepositoryRoot(), "artifacts", "node", Package);
        if (File.Exists(Path.Combine(folder, "node_modules", "esdk-obs-nodejs", "package.json")))
        {
            return folder;
        }

        // Installed next to the final folder and moved into place, so an interrupted install is never taken for a cache.
        var staging = folder + "." + Guid.NewGuid().ToString("N");
        Directory.CreateDirectory(staging);
        var start = new ProcessStartInfo("npm") { ArgumentList = { "install", "--no-save", "--no-package-lock", "--no-audit", "--no-fund", "--prefix", staging, Package } };
        var (exitCode, _, error) = await ChildProcess.RunAsync(start, TimeSpan.FromMinutes(10));
        Assert.True(exitCode == 0, $"npm install {Package} failed ({exitCode}):\n{error}");
        Directory.Move(staging, folder);
        return folder;
    }
}
