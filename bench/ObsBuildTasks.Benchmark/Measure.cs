using System.Diagnostics;
using System.Globalization;

namespace ObsBuildTasks.Benchmark;

/// <summary>A client command: what to run, with which environment.</summary>
internal sealed record ClientCommand(string FileName, IReadOnlyList<string> Arguments, IReadOnlyDictionary<string, string?> Environment)
{
    public override string ToString() => string.Join(' ', new[] { FileName }.Concat(Arguments.Take(24)))
        + (Arguments.Count > 24 ? $" ... ({Arguments.Count - 24} more)" : "");

    /// <summary>How to start the command, behind <paramref name="wrapper"/> (a program and its arguments, such as
    /// <c>/usr/bin/time</c>) when one is given; standard output and error redirected.</summary>
    public ProcessStartInfo StartInfo(params string[] wrapper)
    {
        string[] command = [.. wrapper, FileName, .. Arguments];
        var start = new ProcessStartInfo(command[0]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in command.Skip(1))
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in Environment)
        {
            if (value is null)
            {
                start.Environment.Remove(key);
            }
            else
            {
                start.Environment[key] = value;
            }
        }

        return start;
    }
}

/// <summary>What one client process cost: wall time from the driver's clock, CPU and peak RSS from GNU time (the
/// rusage of the waited-for client, its children included).</summary>
internal sealed record ProcessCost(double WallSeconds, double UserSeconds, double SystemSeconds, long MaxRssKiB, int ExitCode, bool Killed,
    double MachineBusySeconds, string OutputPath);

/// <summary>Runs a client under <c>/usr/bin/time</c> and reads the machine's and processes' CPU from /proc.</summary>
internal static class Measure
{
    private const string TimeFormat = "%e %U %S %M %x";
    private static readonly double TicksPerSecond = 100.0; // USER_HZ; getconf CLK_TCK is 100 on Linux

    /// <param name="command">The client.</param>
    /// <param name="logDirectory">Where its stdout/stderr and time's report go.</param>
    /// <param name="name">File name stem for those.</param>
    /// <param name="killWhen">Polled every 50 ms while the client runs; when it returns true the client (not time) gets SIGKILL.</param>
    public static async Task<ProcessCost> RunAsync(ClientCommand command, string logDirectory, string name, Func<Task<bool>>? killWhen = null)
    {
        Directory.CreateDirectory(logDirectory);
        var timeReport = Path.Combine(logDirectory, name + ".time");
        var outputPath = Path.Combine(logDirectory, name + ".out");
        var start = command.StartInfo("/usr/bin/time", "-f", TimeFormat, "-o", timeReport, "--");
        start.RedirectStandardInput = true;

        await using var output = new StreamWriter(outputPath);
        var outputLock = new Lock();
        void Write(string? line)
        {
            if (line is not null)
            {
                lock (outputLock)
                {
                    output.WriteLine(line);
                }
            }
        }

        var busyBefore = MachineBusySeconds();
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start /usr/bin/time.");
        process.StandardInput.Close();
        process.OutputDataReceived += (_, e) => Write(e.Data);
        process.ErrorDataReceived += (_, e) => Write(e.Data is null ? null : "stderr: " + e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var killed = false;
        if (killWhen is not null)
        {
            while (!process.HasExited)
            {
                if (await killWhen().ConfigureAwait(false))
                {
                    killed = KillChildren(process.Id);
                    break;
                }

                await Task.Delay(50).ConfigureAwait(false);
            }
        }

        await process.WaitForExitAsync().ConfigureAwait(false);
        var wall = clock.Elapsed.TotalSeconds;
        var busy = MachineBusySeconds() - busyBefore;
        var report = File.ReadAllLines(timeReport);
        var fields = report.Last(line => line.Length > 0).Split(' ');
        return new ProcessCost(wall,
            double.Parse(fields[1], CultureInfo.InvariantCulture),
            double.Parse(fields[2], CultureInfo.InvariantCulture),
            long.Parse(fields[3], CultureInfo.InvariantCulture),
            killed ? -9 : int.Parse(fields[4], CultureInfo.InvariantCulture),
            killed, busy, outputPath);
    }

    /// <summary>Busy CPU seconds of the whole machine since boot (all cores): user+nice+system+irq+softirq+steal.</summary>
    public static double MachineBusySeconds()
    {
        var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        long busy = 0;
        foreach (var index in new[] { 1, 2, 3, 6, 7, 8 })
        {
            busy += long.Parse(fields[index], CultureInfo.InvariantCulture);
        }

        return busy / TicksPerSecond;
    }

    /// <summary>User+system CPU seconds of a live process (0 when it is gone).</summary>
    public static double ProcessCpuSeconds(int pid)
    {
        try
        {
            var text = File.ReadAllText($"/proc/{pid}/stat");
            var fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
            return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / TicksPerSecond;
        }
        catch (IOException)
        {
            return 0;
        }
    }

    /// <summary>CPU seconds the driver itself used.</summary>
    public static double SelfCpuSeconds()
    {
        using var self = Process.GetCurrentProcess();
        return self.TotalProcessorTime.TotalSeconds;
    }

    public static string LoadAverage() => File.ReadAllText("/proc/loadavg").Split(' ')[0];

    /// <summary>SIGKILL to every child of <paramref name="parent"/> (the client under time); time then reports and exits.</summary>
    private static bool KillChildren(int parent)
    {
        var killed = false;
        foreach (var child in Children(parent))
        {
            try
            {
                using var process = Process.GetProcessById(child);
                process.Kill(entireProcessTree: true);
                killed = true;
            }
            catch (ArgumentException)
            {
                // Already gone.
            }
            catch (InvalidOperationException)
            {
                // Already gone.
            }
        }

        return killed;
    }

    private static List<int> Children(int parent)
    {
        var path = $"/proc/{parent}/task/{parent}/children";
        if (!File.Exists(path))
        {
            return [];
        }

        return File.ReadAllText(path).Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(text => int.Parse(text, CultureInfo.InvariantCulture)).ToList();
    }

    /// <summary>Runs a helper command (clean-up, sync) and returns its stdout; throws when it fails and <paramref name="check"/>.</summary>
    public static async Task<string> HelperAsync(ClientCommand command, bool check = true)
    {
        var start = command.StartInfo();

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().ConfigureAwait(false);
        if (check && process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{command} failed ({process.ExitCode}): {await stderr.ConfigureAwait(false)}");
        }

        return await stdout.ConfigureAwait(false);
    }
}
