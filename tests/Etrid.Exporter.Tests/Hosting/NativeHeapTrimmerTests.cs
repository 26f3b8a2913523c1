using System.Runtime.InteropServices;
using Etrid.Exporter.Hosting;

namespace Etrid.Exporter.Tests.Hosting;

/// <summary>
/// What the trimmer is for, on this (glibc) machine: native blocks freed inside the heap stay resident until a
/// trim hands their pages back. Other tests share the process, so the figures are generous.
/// </summary>
[Collection(nameof(ResidentMemoryCollection))]
public sealed class NativeHeapTrimmerTests
{
    [Fact]
    public void A_trim_returns_the_pages_of_freed_native_blocks()
    {
        // 192 MB in 2 KB blocks (below glibc's mmap threshold, so they come from the heap), all freed but the last,
        // which keeps the heap's top in place: free() alone returns almost nothing.
        var blocks = new nint[96 * 1024];
        for (var i = 0; i < blocks.Length; i++)
        {
            blocks[i] = Marshal.AllocHGlobal(2048);
            Marshal.WriteByte(blocks[i], 0, 1);
            Marshal.WriteByte(blocks[i], 2047, 1);
        }

        for (var i = 0; i < blocks.Length - 1; i++)
        {
            Marshal.FreeHGlobal(blocks[i]);
        }

        var beforeTrim = ResidentMegabytes();
        Assert.True(NativeHeapTrimmer.TryTrim(out var reason), reason);
        var afterTrim = ResidentMegabytes();
        Marshal.FreeHGlobal(blocks[^1]);

        Assert.True(beforeTrim - afterTrim >= 96, $"resident {beforeTrim:0} MB before the trim, {afterTrim:0} MB after");
    }

    private static double ResidentMegabytes()
    {
        var line = File.ReadLines("/proc/self/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) / 1024;
    }
}

/// <summary>Tests that read the process's resident set run alone.</summary>
[CollectionDefinition(nameof(ResidentMemoryCollection), DisableParallelization = true)]
public sealed class ResidentMemoryCollection;
