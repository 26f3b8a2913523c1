using Etrid.DevMarket.Faults;
using Etrid.DevMarket.OpenApi;

namespace Etrid.DevMarket.Server;

/// <summary>One API request as the dev market received it, with what it found wrong and what it answered.</summary>
public sealed record CapturedRequest(
    DateTimeOffset At,
    string Method,
    string Path,
    string QueryString,
    string? Body,
    bool Authorized,
    string? Operation,
    IReadOnlyList<RequestProblem> Problems,
    FaultKind Fault,
    int Status);
