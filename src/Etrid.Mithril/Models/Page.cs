namespace Etrid.Mithril.Models;

/// <summary>One page of a cursor-paged list: <c>{"data":[…],"next_cursor":…}</c>.</summary>
public sealed record Page<T>
{
    /// <summary>The items of this page.</summary>
    public IReadOnlyList<T> Data { get; init; } = [];

    /// <summary>Opaque cursor of the next page; null on the last page.</summary>
    public string? NextCursor { get; init; }
}
