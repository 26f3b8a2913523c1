using System.Diagnostics;

namespace Etrid.Exporter.Tests.Support;

/// <summary>Starts a command-line tool the tests need, with a clear message when it is not installed.</summary>
internal static class ToolProcess
{
    public static Process Start(ProcessStartInfo start, string installHint)
    {
        try
        {
            return Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException($"{start.FileName} is not installed: {installHint}", e);
        }
    }
}
