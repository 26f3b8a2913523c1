namespace Etrid.Burst.Policy;

/// <summary>The actions for one pool this tick, the budget left after them (null = no ceiling), and notes on what was held back.</summary>
public sealed record PoolPlan(IReadOnlyList<BidAction> Actions, long? BudgetLeftCents, IReadOnlyList<string> Notes)
{
    /// <summary>Growth held back this tick: a bounded code and the note that says why.</summary>
    public IReadOnlyList<(string Code, string Reason)> Holds { get; init; } = [];
}
