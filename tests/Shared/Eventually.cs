namespace Etrid.Tests.Shared;

/// <summary>Waits for a condition instead of sleeping a fixed time; the limit only bounds a failing test.</summary>
internal static class Eventually
{
    // How often the condition is looked at; it bounds nothing and asserts nothing about speed.
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(10);

    public static async Task WaitAsync(Func<bool> condition, string what, int timeoutSeconds = 30)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(timeoutSeconds));
        while (!condition())
        {
            try
            {
                await Task.Delay(PollInterval, cts.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"timed out after {timeoutSeconds} s waiting for {what}");
            }
        }
    }

    public static async Task WaitAsync(Func<Task<bool>> condition, string what, int timeoutSeconds = 30)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(timeoutSeconds));
        while (!await condition())
        {
            try
            {
                await Task.Delay(PollInterval, cts.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"timed out after {timeoutSeconds} s waiting for {what}");
            }
        }
    }
}
