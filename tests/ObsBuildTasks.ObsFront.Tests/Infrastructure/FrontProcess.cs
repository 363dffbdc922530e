using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using ObsBuildTasks.Testing.Store;

namespace ObsBuildTasks.ObsFront.Tests.Infrastructure;

/// <summary>
/// A front process of a test's own (the one eng/object-store.sh runs is shared, so its memory says nothing about one
/// test): the build in the test's output folder, on a free loopback port, with the shared front's settings. Killed on
/// dispose.
/// </summary>
internal sealed class FrontProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Task<string> _log;

    private FrontProcess(Process process, Uri endpoint)
    {
        _process = process;
        Endpoint = endpoint;
        // The request log is not needed, but must not fill the pipe.
        _log = process.StandardOutput.ReadToEndAsync();
    }

    public Uri Endpoint { get; }

    /// <summary>The process's resident memory now, in bytes.</summary>
    public long ResidentBytes
    {
        get
        {
            _process.Refresh();
            return _process.WorkingSet64;
        }
    }

    /// <summary>The most resident memory the process has had, in bytes (VmHWM).</summary>
    public long PeakResidentBytes
    {
        get
        {
            _process.Refresh();
            return _process.PeakWorkingSet64;
        }
    }

    public static async Task<FrontProcess> StartAsync(LocalObsFront shared)
    {
        var endpoint = new Uri($"http://localhost:{FreePort()}");
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { Path.Combine(AppContext.BaseDirectory, "ObsBuildTasks.ObsFront.dll") },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var (name, value) in shared.Settings)
        {
            start.Environment[name] = value;
        }

        start.Environment["OBS_FRONT_ENDPOINT"] = endpoint.ToString();
        var process = Process.Start(start)!;
        var ready = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromMinutes(1));
        if (ready?.StartsWith("obs-front: listening", StringComparison.Ordinal) != true)
        {
            process.Kill();
            throw new InvalidOperationException($"the front did not start: {ready}\n{await process.StandardError.ReadToEndAsync()}");
        }

        return new FrontProcess(process, endpoint);
    }

    public async ValueTask DisposeAsync()
    {
        _process.Kill();
        await _process.WaitForExitAsync();
        await _log;
        _process.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
