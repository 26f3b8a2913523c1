using System.Runtime.InteropServices;

namespace Etrid.Exporter.Hosting;

/// <summary>
/// Hands free native heap pages back to the kernel now and then. TLS handshakes (OpenSSL) allocate and free many
/// small blocks on the native heap; glibc keeps the freed pages inside its arenas, so after a burst of connections
/// the resident set stays where the burst left it. <c>malloc_trim(0)</c> returns whole free pages of every arena.
/// A no-op where the C library is not glibc.
/// </summary>
internal sealed partial class NativeHeapTrimmer(TimeProvider time, ILogger<NativeHeapTrimmer> logger) : BackgroundService
{
    // Often enough that the set falls back within a scrape interval or two; the call itself takes about a millisecond.
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        using var timer = new PeriodicTimer(Interval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                if (!TryTrim(out var reason))
                {
                    LogNotGlibc(logger, reason);
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>Returns the native heap's free pages to the kernel; false (and why) where there is no glibc <c>malloc_trim</c>.</summary>
    internal static bool TryTrim(out string reason)
    {
        try
        {
            MallocTrim(0);
            reason = string.Empty;
            return true;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            reason = e.Message;
            return false;
        }
    }

    [DllImport("libc", EntryPoint = "malloc_trim")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int MallocTrim(nuint pad);

    [LoggerMessage(EventId = 870, Level = LogLevel.Debug, Message = "The native heap is not trimmed: the C library is not glibc ({Reason})")]
    private static partial void LogNotGlibc(ILogger logger, string reason);
}
