using Etrid.Burst.Status;

namespace Etrid.Exporter.Tests.Status;

/// <summary>A burst status the test sets, as the controller replaces its own after each tick.</summary>
internal sealed class SettableBurstStatus(BurstStatus initial) : IBurstStatusSource
{
    private volatile BurstStatus _current = initial;

    public BurstStatus Current
    {
        get => _current;
        set => _current = value;
    }
}
