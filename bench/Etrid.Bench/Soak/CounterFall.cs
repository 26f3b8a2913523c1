namespace Etrid.Bench.Soak;

/// <summary>A never-decreasing series (<c>name{labels}</c>) found lower than its highest value before.</summary>
internal sealed record CounterFall(string Series, double Before, double Now);
