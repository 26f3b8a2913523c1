using System.Numerics;

namespace Etrid.AiCompute.Figures;

/// <summary>
/// An exact sum of non-negative planck amounts that allocates nothing while the amounts fit in u128 (every
/// on-chain balance does): the low 128 bits with a carry count, and a <see cref="BigInteger"/> only for
/// what does not fit. Summing 10,000 providers' earnings a block as <see cref="BigInteger"/> made more than
/// half of the exporter's garbage.
/// </summary>
public struct PlanckSum
{
    private static readonly BigInteger U128Max = UInt128.MaxValue;
    private UInt128 _low;
    private ulong _carries;
    private BigInteger _rest;

    /// <summary>Adds <paramref name="amount"/> (any value; one outside u128 takes the allocating path).</summary>
    public void Add(BigInteger amount)
    {
        if (amount.Sign < 0 || amount > U128Max)
        {
            _rest += amount;
            return;
        }

        var sum = unchecked(_low + (UInt128)amount);
        if (sum < _low)
        {
            _carries++;
        }

        _low = sum;
    }

    /// <summary>The sum.</summary>
    public readonly BigInteger Value => _rest + ((BigInteger)_carries << 128) + _low;

    /// <summary>The sum in whole tokens of <paramref name="decimals"/> decimals, as <see cref="Balance.ToTokens(BigInteger, int)"/>.</summary>
    public readonly double ToTokens(int decimals) =>
        _carries == 0 && _rest.IsZero ? Balance.ToTokens(_low, decimals) : Balance.ToTokens(Value, decimals);
}
