using Microsoft.Extensions.Options;

namespace Etrid.Exporter.Cli;

/// <summary>Starts and runs a verb's web host or server, reporting failures in one line instead of a stack trace.</summary>
internal static class HostRunner
{
    /// <summary>True when started; false after printing why not (the address named by <paramref name="what"/>).</summary>
    public static async Task<bool> TryStartAsync(WebApplication app, string what, TextWriter error, CancellationToken cancellationToken)
    {
        try
        {
            await app.StartAsync(cancellationToken);
            return true;
        }
        catch (IOException e)
        {
            await error.WriteLineAsync($"error: {what}: {e.Message}");
            return false;
        }
        catch (OptionsValidationException e)
        {
            foreach (var failure in e.Failures)
            {
                await error.WriteLineAsync($"error: {failure}");
            }

            return false;
        }
    }

    /// <summary>
    /// Waits for Ctrl+C (the command's token) or SIGTERM (the host's lifetime), as Kubernetes stops
    /// pods, then stops the host. Exits 1 with one line when a background part of the host failed and
    /// brought it down, so a supervisor sees the failure.
    /// </summary>
    public static async Task<int> RunUntilStoppedAsync(WebApplication app, TextWriter error, CancellationToken cancellationToken)
    {
        await app.WaitForShutdownAsync(cancellationToken);
        await app.StopAsync(CancellationToken.None);
        var failed = app.Services.GetServices<IHostedService>().OfType<BackgroundService>()
            .Select(s => s.ExecuteTask?.Exception?.GetBaseException())
            .FirstOrDefault(e => e is not null);
        if (failed is not null)
        {
            await error.WriteLineAsync($"error: stopped after a fatal failure ({failed.GetType().Name}): {failed.Message}");
            return 1;
        }

        return 0;
    }

    /// <summary>Waits for Ctrl+C (the command's token) or SIGTERM, for verbs that run without the web host's lifetime.</summary>
    public static async Task WaitForStopSignalAsync(CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var sigterm = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            stop.Cancel();
        });
        try
        {
            await Task.Delay(Timeout.Infinite, stop.Token);
        }
        catch (OperationCanceledException)
        {
            // Stopping, as asked.
        }
    }

    /// <summary>Starts a server with <paramref name="start"/>; its URL, or null after printing why it could not listen on <paramref name="listen"/> (given as <paramref name="flag"/>).</summary>
    public static async Task<Uri?> TryListenAsync(Func<Task<Uri>> start, string listen, string flag, TextWriter error)
    {
        try
        {
            return await start();
        }
        catch (IOException e)
        {
            await error.WriteLineAsync($"error: {flag} {listen}: {e.Message}");
            return null;
        }
    }

    /// <summary>Prints each problem as one <c>error:</c> line; the verb's exit code: 2 when there were any, else null.</summary>
    public static async Task<int?> RefuseAsync(IReadOnlyCollection<string> problems, TextWriter error)
    {
        foreach (var problem in problems)
        {
            await error.WriteLineAsync($"error: {problem}");
        }

        return problems.Count > 0 ? 2 : null;
    }
}
