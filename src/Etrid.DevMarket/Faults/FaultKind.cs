namespace Etrid.DevMarket.Faults;

/// <summary>What the dev market does to one request instead of (or besides) answering it.</summary>
public enum FaultKind
{
    /// <summary>Answer normally.</summary>
    None,

    /// <summary>429 with <c>Retry-After</c>, before processing.</summary>
    TooManyRequests,

    /// <summary>500 before processing: nothing happened.</summary>
    ServerError,

    /// <summary>No answer (the connection hangs) before processing: nothing happened.</summary>
    Timeout,

    /// <summary>Answer normally after a delay.</summary>
    Slow,

    /// <summary>Processed, then 500: the effect happened but the answer is lost.</summary>
    ServerErrorAfterProcessing,

    /// <summary>Processed, then no answer: the effect happened but the answer is lost.</summary>
    TimeoutAfterProcessing,
}
