using System.Text.Json.Nodes;

namespace Etrid.DevMarket.OpenApi;

/// <summary>A request matched to an operation of the document: its path template, method and path parameters.</summary>
public sealed record OperationMatch(string Template, string Method, IReadOnlyDictionary<string, string> PathParameters, JsonObject Operation);
