using System.Text.Json;

namespace Etrid.DevChain.Rpc;

/// <summary>A method's result writer, and what to do once the answer is sent (first subscription items).</summary>
internal sealed record RpcOutcome(Action<Utf8JsonWriter> WriteResult, Action? AfterSend = null);
