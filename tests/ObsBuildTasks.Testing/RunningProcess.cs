using System.Diagnostics;
using System.Runtime.InteropServices;

namespace ObsBuildTasks.Testing;

/// <summary>A running build (<c>dotnet cake</c>, <c>dotnet build</c>) started in a session of its own: its output line by
/// line (stdout and stderr together), a way to wait for a line, signals, and its exit.</summary>
public sealed class RunningProcess : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(2);

    private readonly Process _process;
    private readonly Lock _lock = new();
    private readonly List<string> _lines = [];
    private readonly List<(Func<string, bool> Match, TaskCompletionSource Seen)> _waiters = [];

    /// <summary>Runs <paramref name="start"/> as it is; see <see cref="InSessionOfItsOwn"/>.</summary>
    public RunningProcess(ProcessStartInfo start)
    {
        _process = new Process { StartInfo = start };
        _process.OutputDataReceived += (_, e) => Add(e.Data);
        _process.ErrorDataReceived += (_, e) => Add(e.Data);
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>
    /// How to start <paramref name="fileName"/> in a session and process group of its own, as a terminal runs a
    /// foreground job, with its output read by the test: a test can then press Ctrl+C (SIGINT to the group) without
    /// reaching the test host, and the process id is the group's. SIGINT is handled by default, as in a terminal, even
    /// when the test host inherited it ignored (shells ignore it for background jobs, and ignored signals are passed on).
    /// </summary>
    public static ProcessStartInfo InSessionOfItsOwn(string fileName, IEnumerable<string> arguments, string workingDirectory) =>
        new("setsid", ["env", "--default-signal=INT", fileName, .. arguments])
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };

    public string Output
    {
        get
        {
            lock (_lock)
            {
                return string.Join('\n', _lines);
            }
        }
    }

    public int ExitCode => _process.ExitCode;

    /// <summary>Completes once a line matching <paramref name="match"/> has been written.</summary>
    /// <exception cref="TimeoutException">No such line within two minutes.</exception>
    public async Task WaitForLineAsync(Func<string, bool> match)
    {
        var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_lock)
        {
            if (_lines.Any(match))
            {
                return;
            }

            _waiters.Add((match, seen));
        }

        try
        {
            await seen.Task.WaitAsync(Patience);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"The expected line did not appear. Output so far:\n{Output}");
        }
    }

    /// <summary>Waits for the process to end (and its output to be read).</summary>
    /// <exception cref="TimeoutException">It ran for over two minutes; it is killed.</exception>
    public async Task WaitForExitAsync()
    {
        using var timeout = new CancellationTokenSource(Patience);
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{_process.StartInfo.FileName} {string.Join(' ', _process.StartInfo.ArgumentList)} ran for over {Patience}. Output:\n{Output}");
        }
    }

    /// <summary>Kills the process and every process it started, as a CI runner does when a job is cancelled.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    /// <summary>Kills the process alone (SIGKILL), leaving the processes it started running: as the kernel's
    /// out-of-memory killer, or a crash, ends a build.</summary>
    public async Task KillAloneAsync()
    {
        _process.Kill(entireProcessTree: false);
        await _process.WaitForExitAsync();
    }

    /// <summary>Sends <paramref name="signal"/> as users do: SIGINT is Ctrl+C, which a terminal sends to every process of
    /// the foreground group (the process leads its session's group: <c>dotnet cake</c> and the Cake process it started);
    /// SIGTERM goes to the process alone, as a CI runner cancelling a job sends it (<c>dotnet cake</c> passes it on to
    /// Cake).</summary>
    public async Task SendAsync(PosixSignal signal)
    {
        var target = signal == PosixSignal.SIGINT ? $"-{_process.Id}" : $"{_process.Id}";
        using var kill = Process.Start("kill", [$"-{signal.ToString()[3..]}", "--", target])!;
        await kill.WaitForExitAsync();
        if (kill.ExitCode != 0)
        {
            throw new InvalidOperationException($"kill {signal} {target} failed ({kill.ExitCode}).");
        }
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.Dispose();
    }

    private void Add(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_lock)
        {
            _lines.Add(line);
            foreach (var waiter in _waiters.Where(waiter => waiter.Match(line)).ToList())
            {
                waiter.Seen.TrySetResult();
                _waiters.Remove(waiter);
            }
        }
    }
}
