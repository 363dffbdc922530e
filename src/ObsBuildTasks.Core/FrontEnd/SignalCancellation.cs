using System.Runtime.InteropServices;

namespace ObsBuildTasks.FrontEnd;

/// <summary>
/// Cancellation by signal for a front end: while it lives, the first of the watched signals cancels <see cref="Token"/>
/// and keeps the process alive, so the engine can save its checkpoint or abort the multipart upload before the call
/// fails. A second signal gets the default handling: the process ends at once. The Cake alias watches SIGINT (Ctrl+C)
/// and SIGTERM; the MSBuild task watches SIGTERM only (MSBuild turns Ctrl+C into <c>ICancelableTask.Cancel</c> itself,
/// but lets SIGTERM end the process at once, with exit code 0).
/// </summary>
/// <remarks>
/// <see cref="PosixSignalRegistration"/> rather than <see cref="Console.CancelKeyPress"/>: it also sees SIGTERM, which
/// is how CI runners and containers stop a build (<c>kill</c>, <c>docker stop</c>, a cancelled job; on Windows it maps
/// SIGINT to Ctrl+C and SIGTERM to a shutdown), and a registration can be removed when the call returns without
/// touching handlers that the host or a script set.
/// The first signal's handler returns only when this is disposed (the call has cleaned up and reported) or after
/// <see cref="CleanUpPatience"/>: handlers of one signal run one after another, and the .NET CLI's own SIGTERM handler
/// (<c>dotnet build</c>, <c>dotnet msbuild</c>) ends the process as soon as it runs, which would leave the multipart
/// upload behind. Each signal is handled on a thread of its own, so a second signal is not held up by the first.
/// </remarks>
internal sealed class SignalCancellation : IDisposable
{
    private readonly CancellationTokenSource _source = new();
    private readonly Action<PosixSignal> _onFirstSignal;
    private readonly PosixSignalRegistration[] _registrations;
    private readonly Lock _lock = new();
    private readonly TaskCompletionSource _settled = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool _signalled;
    private bool _disposed;

    /// <param name="signals">The signals that cancel.</param>
    /// <param name="onFirstSignal">Told which signal cancelled the token (once), before the token is cancelled.</param>
    public SignalCancellation(IEnumerable<PosixSignal> signals, Action<PosixSignal> onFirstSignal)
    {
        _onFirstSignal = onFirstSignal;
        _registrations = [.. signals.Select(signal => PosixSignalRegistration.Create(signal, OnSignal))];
    }

    /// <summary>How long the first signal's handler waits for the call to clean up before the host's own handling goes
    /// on: far longer than aborting takes against a live server, and a bound for one that stalls.</summary>
    public static TimeSpan CleanUpPatience { get; } = TimeSpan.FromSeconds(60);

    /// <summary>Cancelled by the first signal.</summary>
    public CancellationToken Token => _source.Token;

    /// <summary>Ends the watch: a signal's handler waiting for the clean-up returns, and later signals get the default
    /// handling.</summary>
    public void Dispose()
    {
        _settled.TrySetResult();
        foreach (var registration in _registrations)
        {
            registration.Dispose();
        }

        // A handler may still be running on another thread: it must not cancel a disposed source.
        lock (_lock)
        {
            _disposed = true;
            _source.Dispose();
        }
    }

    private void OnSignal(PosixSignalContext context)
    {
        lock (_lock)
        {
            if (_disposed || _signalled)
            {
                return; // context.Cancel stays false: the runtime ends the process as it would without us.
            }

            _signalled = true;
            context.Cancel = true;
            _onFirstSignal(context.Signal);
            _source.Cancel();
        }

        _settled.Task.Wait(CleanUpPatience);
    }
}
