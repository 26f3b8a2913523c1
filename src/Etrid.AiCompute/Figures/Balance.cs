using System.Numerics;

namespace Etrid.AiCompute.Figures;

/// <summary>Balance arithmetic: the pallet's fee rule and planck to token units without losing the fraction.</summary>
public static class Balance
{
    private static readonly BigInteger U128Max = (BigInteger.One << 128) - 1;

    /// <summary>What a provider is owed for a payment: <c>payment − ⌊min(payment × bps, 2^128−1) / 10000⌋</c>.</summary>
    public static BigInteger Earned(UInt128 payment, ushort feeBps)
    {
        var p = (BigInteger)payment;
        var fee = BigInteger.Min(p * feeBps, U128Max) / 10000;
        return p - fee;
    }

    // 10^0 … 10^38: every power that fits in u128.
    private static readonly UInt128[] PowersOfTen = Enumerable.Range(0, 39).Select(n => (UInt128)BigInteger.Pow(10, n)).ToArray();

    /// <summary>
    /// Planck to whole tokens without allocating, split as <see cref="ToTokens(BigInteger, int)"/> is (the two
    /// may differ in the last bit of the result, as the two types convert to double by their own rounding).
    /// </summary>
    public static double ToTokens(UInt128 planck, int decimals)
    {
        if ((uint)decimals >= (uint)PowersOfTen.Length)
        {
            return ToTokens((BigInteger)planck, decimals);
        }

        var unit = PowersOfTen[decimals];
        var (whole, fraction) = UInt128.DivRem(planck, unit);
        return (double)whole + ((double)fraction / (double)unit);
    }

    /// <summary>Planck to whole tokens: integer and fraction converted apart, so large sums keep their fraction.</summary>
    public static double ToTokens(BigInteger planck, int decimals)
    {
        var unit = BigInteger.Pow(10, decimals);
        var whole = BigInteger.DivRem(planck, unit, out var fraction);
        return (double)whole + ((double)fraction / (double)unit);
    }
}
