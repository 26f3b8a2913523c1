using System.Globalization;

namespace Etrid.Bench;

/// <summary>One reading of a process's <c>/proc/&lt;pid&gt;/status</c>: the kernel's memory figures (VmRSS, VmHWM, RssAnon, …).</summary>
internal sealed class ProcessStatus
{
    private readonly string[] _lines;

    private ProcessStatus(string[] lines) => _lines = lines;

    public static ProcessStatus Read(int pid) => new(File.ReadAllLines($"/proc/{pid}/status"));

    /// <summary>A figure the kernel gives in kB (<c>VmRSS:   123456 kB</c>), in MiB.</summary>
    public double Megabytes(string key) =>
        double.Parse(_lines.First(l => l.StartsWith(key + ":", StringComparison.Ordinal)).Split(':')[1].Trim().Split(' ')[0], CultureInfo.InvariantCulture) / 1024;
}
