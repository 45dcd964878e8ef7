using System.Runtime.InteropServices;

namespace Mixnet.Directory.Tools;

/// <summary>
/// Turns SIGINT (Ctrl+C) and SIGTERM (<c>kill</c>, <c>docker stop</c>, systemd) alike into one
/// cancellation, so a tool shuts down cleanly whichever arrives. The first signal cancels and
/// keeps the process alive for its clean shutdown; a second one gets the default handling, which
/// ends the process at once (the way out of a shutdown that hangs).
/// </summary>
internal sealed class ShutdownSignals : IDisposable
{
    private readonly CancellationTokenSource _cancel = new();
    private readonly PosixSignalRegistration[] _registrations;

    public ShutdownSignals()
    {
        _registrations =
        [
            PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal),
            PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal),
        ];
    }

    /// <summary>Cancelled by the first SIGINT or SIGTERM.</summary>
    public CancellationToken Token => _cancel.Token;

    public void Dispose()
    {
        foreach (var registration in _registrations)
        {
            registration.Dispose();
        }

        _cancel.Dispose();
    }

    private void OnSignal(PosixSignalContext context)
    {
        if (_cancel.IsCancellationRequested)
        {
            return; // Second signal: default handling ends the process.
        }

        context.Cancel = true;
        _cancel.Cancel();
    }
}
