namespace Etrid.DevMarket.Market;

/// <summary>What became of an operation on the market, before any protocol gives it a status.</summary>
public enum MarketOutcomeKind
{
    /// <summary>Done or read; the outcome carries the value.</summary>
    Ok,

    /// <summary>A new resource exists; the outcome carries it.</summary>
    Created,

    /// <summary>The resource is gone (or was already); nothing to return.</summary>
    Deleted,

    /// <summary>The named resource does not exist.</summary>
    NotFound,

    /// <summary>The request names values the market refuses; the outcome lists each problem.</summary>
    Invalid,

    /// <summary>The resource exists but its state forbids the operation (a terminated bid).</summary>
    Refused,
}
