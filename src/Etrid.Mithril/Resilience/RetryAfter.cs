using System.Net.Http.Headers;

namespace Etrid.Mithril.Resilience;

/// <summary>Reads a <c>Retry-After</c> header (seconds or an HTTP date) as a wait from now.</summary>
public static class RetryAfter
{
    /// <summary>The wait the server asked for, never negative; null when the header is absent.</summary>
    public static TimeSpan? Read(RetryConditionHeaderValue? header, DateTimeOffset now)
    {
        if (header is null)
        {
            return null;
        }

        if (header.Delta is { } delta)
        {
            return delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
        }

        if (header.Date is { } date)
        {
            var wait = date - now;
            return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
        }

        return null;
    }
}
