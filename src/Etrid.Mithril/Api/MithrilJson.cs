using System.Text.Json;
using System.Text.Json.Serialization;

namespace Etrid.Mithril.Api;

/// <summary>The wire's JSON: snake_case, nulls omitted (unset optional fields are not sent), unknown properties ignored.</summary>
public static class MithrilJson
{
    /// <summary>Serializer settings shared by the client and the dev market.</summary>
    public static JsonSerializerOptions Options { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        MaxDepth = 32,
    };
}
