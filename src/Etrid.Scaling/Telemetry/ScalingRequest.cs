namespace Etrid.Scaling.Telemetry;

/// <summary>One answered request of the external metrics API or the KEDA scaler, as the status page lists it.</summary>
/// <param name="At">When the answer was given.</param>
/// <param name="Operation">The API's route (<c>discovery</c>, <c>data</c>, <c>health</c>, <c>other</c>) or the scaler's RPC.</param>
/// <param name="Metric">The metric asked for, when the request named one (clipped; it comes from the caller).</param>
/// <param name="Code">The HTTP status code or the gRPC status name.</param>
/// <param name="Identity">The API's authenticated user, or the scaler's ScaledObject as <c>namespace/name</c> (clipped), when known.</param>
/// <param name="DurationSeconds">From the start of handling to the answer (for a stream, its lifetime).</param>
public sealed record ScalingRequest(DateTimeOffset At, string Operation, string? Metric, string Code, string? Identity, double DurationSeconds);
