namespace Etrid.Bench.Soak;

/// <summary>The faults the soak injects (issue 16's items 2 to 6 as an operator's worst week has them).</summary>
internal enum SoakFaultKind
{
    /// <summary>A node's server is torn down (every connection reset, the port refused) and restarted after the fault's duration.</summary>
    NodeKill,

    /// <summary>A node is frozen for the fault's duration (connections stay open, nothing is notified, answers wait), as a stopped process.</summary>
    NodeStop,

    /// <summary>The second endpoint restarts behind the first by the fault's lag (its connections dropped).</summary>
    LaggingEndpoint,

    /// <summary>A node answers another genesis hash for the fault's duration (its connections dropped at both ends).</summary>
    FlippedGenesis,

    /// <summary>One round of TLS connections to the external metrics API, half refused with 401, each closed after its answer.</summary>
    ConnectionChurn,

    /// <summary>Concurrent <c>/metrics</c> clients for the fault's duration while the probes are timed.</summary>
    ScrapeStorm,
}
