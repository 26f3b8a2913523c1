namespace Etrid.Substrate.Rpc;

/// <summary>
/// Runs posted callbacks one at a time in the order posted. StreamJsonRpc otherwise dispatches
/// incoming notifications on the thread pool, where two heads could be seen out of order.
/// </summary>
internal sealed class SerialSynchronizationContext : SynchronizationContext
{
    private readonly Lock _gate = new();
    private Task _tail = Task.CompletedTask;

    public override void Post(SendOrPostCallback d, object? state)
    {
        lock (_gate)
        {
            _tail = _tail.ContinueWith(
                _ => Run(d, state),
                CancellationToken.None,
                TaskContinuationOptions.None,
                TaskScheduler.Default);
        }
    }

    public override void Send(SendOrPostCallback d, object? state) => Post(d, state);

    public override SynchronizationContext CreateCopy() => this;

    private void Run(SendOrPostCallback d, object? state)
    {
        var previous = Current;
        SetSynchronizationContext(this);
        try
        {
            d(state);
        }
        finally
        {
            SetSynchronizationContext(previous);
        }
    }
}
