using System.Runtime.InteropServices;

namespace Cake.ObsBuildTasks;

/// <summary>
/// What the MSBuild task gets from <c>ICancelableTask</c>, for an alias: while it lives, the first SIGINT (Ctrl+C) or
/// SIGTERM (a CI runner cancelling the job, <c>kill</c>, <c>docker stop</c>) cancels <see cref="Token"/> and keeps the
/// process alive, so the engine can save its checkpoint or abort the multipart upload before the alias fails. A second
/// signal gets the default handling: the process ends at once.
/// </summary>
/// <remarks>
/// <see cref="PosixSignalRegistration"/> rather than <see cref="Console.CancelKeyPress"/>: it also sees SIGTERM, which
/// is how CI runners and containers stop a build (on Windows it maps SIGINT to Ctrl+C and SIGTERM to a shutdown), and a
/// registration can be removed when the alias returns without touching handlers that Cake or the script set.
/// </remarks>
internal sealed class SignalCancellation : IDisposable
{
    private readonly CancellationTokenSource _source = new();
    private readonly Action<PosixSignal> _onFirstSignal;
    private readonly PosixSignalRegistration[] _registrations;
    private readonly Lock _lock = new();
    private bool _signalled;
    private bool _disposed;

    /// <param name="onFirstSignal">Told which signal cancelled the token (once), before the token is cancelled.</param>
    public SignalCancellation(Action<PosixSignal> onFirstSignal)
    {
        _onFirstSignal = onFirstSignal;
        _registrations = [PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal), PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal)];
    }

    /// <summary>Cancelled by the first signal.</summary>
    public CancellationToken Token => _source.Token;

    public void Dispose()
    {
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
    }
}
