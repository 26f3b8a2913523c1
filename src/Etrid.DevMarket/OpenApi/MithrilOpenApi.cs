using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;

namespace Etrid.DevMarket.OpenApi;

/// <summary>
/// The Mithril OpenAPI 3.1 document (embedded) as a request checker: matches a method and path to an
/// operation, and validates its query parameters and JSON body against the document's schemas.
/// The document's OpenAPI 3.0-style <c>nullable: true</c> is read as "or null", as the server does.
/// </summary>
public sealed class MithrilOpenApi
{
    private const string ResourceName = "Etrid.DevMarket.mithril-openapi.json";
    private static readonly Lazy<MithrilOpenApi> Shared = new(Load);

    private readonly JsonObject _paths;
    private readonly JsonObject _definitions;
    private readonly ConcurrentDictionary<string, JsonSchema> _schemas = new(StringComparer.Ordinal);
    private readonly List<(string Template, string[] Segments)> _templates;

    private MithrilOpenApi(JsonObject document)
    {
        _paths = document["paths"]!.AsObject();
        var schemas = (JsonObject)Normalize(document["components"]!["schemas"]!.DeepClone())!;
        _definitions = schemas;
        _templates = _paths.Select(p => (p.Key, p.Key.Split('/', StringSplitOptions.RemoveEmptyEntries))).ToList();
    }

    /// <summary>The document, parsed once per process.</summary>
    public static MithrilOpenApi Instance => Shared.Value;

    /// <summary>The embedded document's text.</summary>
    public static string ReadDocumentText()
    {
        using var stream = typeof(MithrilOpenApi).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"embedded resource {ResourceName} is missing");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>The operation for a method and path; null when the path is not in the document.</summary>
    /// <param name="pathExists">True when the path is in the document (with this method or another).</param>
    public OperationMatch? Match(string method, string path, out bool pathExists)
    {
        pathExists = false;
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        OperationMatch? best = null;
        var bestLiterals = -1;
        foreach (var (template, parts) in _templates)
        {
            if (parts.Length != segments.Length)
            {
                continue;
            }

            var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
            var literals = 0;
            var ok = true;
            for (var i = 0; i < parts.Length && ok; i++)
            {
                if (parts[i].StartsWith('{') && parts[i].EndsWith('}'))
                {
                    parameters[parts[i][1..^1]] = Uri.UnescapeDataString(segments[i]);
                }
                else if (string.Equals(parts[i], segments[i], StringComparison.Ordinal))
                {
                    literals++;
                }
                else
                {
                    ok = false;
                }
            }

            // Literal segments win over parameters (/instances/status/history over /instances/{fid}/status).
            if (!ok || literals <= bestLiterals)
            {
                continue;
            }

            pathExists = true;
            var operations = _paths[template]!.AsObject();
            if (operations[method.ToLowerInvariant()] is JsonObject operation)
            {
                best = new OperationMatch(template, method.ToUpperInvariant(), parameters, operation);
                bestLiterals = literals;
            }
        }

        return best;
    }

    /// <summary>Every problem of a request's query parameters and body, in the 422 form.</summary>
    public IReadOnlyList<RequestProblem> ValidateRequest(OperationMatch match, IReadOnlyDictionary<string, string> query, ReadOnlySpan<byte> body)
    {
        var problems = new List<RequestProblem>();
        if (match.Operation["parameters"] is JsonArray parameters)
        {
            foreach (var parameter in parameters.OfType<JsonObject>())
            {
                if ((string?)parameter["in"] != "query")
                {
                    continue;
                }

                var name = (string)parameter["name"]!;
                var required = parameter["required"]?.GetValue<bool>() == true;
                if (!query.TryGetValue(name, out var text))
                {
                    if (required)
                    {
                        problems.Add(new RequestProblem(["query", name], "Field required", "missing"));
                    }

                    continue;
                }

                var schema = Normalize(parameter["schema"]?.DeepClone() ?? new JsonObject()) as JsonObject ?? [];
                var value = QueryValue(schema, text, out var parseProblem);
                if (parseProblem is not null)
                {
                    problems.Add(new RequestProblem(["query", name], parseProblem, "parsing"));
                    continue;
                }

                problems.AddRange(Evaluate(CompileInline(schema), value, "query", name));
            }
        }

        if (match.Operation["requestBody"] is JsonObject requestBody)
        {
            var schemaNode = requestBody["content"]?["application/json"]?["schema"];
            if (body.IsEmpty)
            {
                if (requestBody["required"]?.GetValue<bool>() == true)
                {
                    problems.Add(new RequestProblem(["body"], "Field required", "missing"));
                }
            }
            else
            {
                JsonNode? node;
                try
                {
                    node = JsonNode.Parse(body, documentOptions: new JsonDocumentOptions { MaxDepth = 32 });
                }
                catch (JsonException e)
                {
                    problems.Add(new RequestProblem(["body"], "JSON decode error: " + e.Message, "json_invalid"));
                    return problems;
                }

                if (schemaNode is not null)
                {
                    var schema = Normalize(schemaNode.DeepClone()) as JsonObject ?? [];
                    problems.AddRange(Evaluate(CompileInline(schema), node, "body", null));
                }
            }
        }

        return problems;
    }

    /// <summary>Problems of a response body against the operation's schema for that status (empty when none is documented).</summary>
    public IReadOnlyList<RequestProblem> ValidateResponse(OperationMatch match, int status, JsonNode? body)
    {
        var schemaNode = match.Operation["responses"]?[status.ToString(CultureInfo.InvariantCulture)]?["content"]?["application/json"]?["schema"];
        if (schemaNode is null)
        {
            return [];
        }

        var schema = Normalize(schemaNode.DeepClone()) as JsonObject ?? [];
        return Evaluate(CompileInline(schema), body, "response", null);
    }

    /// <summary>Problems of a value against a named component schema (<c>BidModel</c>, …).</summary>
    public IReadOnlyList<RequestProblem> ValidateComponent(string name, JsonNode? value) =>
        Evaluate(CompileInline(new JsonObject { ["$ref"] = "#/$defs/" + name }), value, "body", null);

    private static MithrilOpenApi Load() => new(JsonNode.Parse(ReadDocumentText())!.AsObject());

    private JsonSchema CompileInline(JsonObject schema)
    {
        var key = schema.ToJsonString();
        return _schemas.GetOrAdd(key, _ =>
        {
            var root = (JsonObject)schema.DeepClone();
            root["$schema"] = "https://json-schema.org/draft/2020-12/schema";
            root["$defs"] = _definitions.DeepClone();
            return JsonSchema.FromText(root.ToJsonString());
        });
    }

    private static List<RequestProblem> Evaluate(JsonSchema schema, JsonNode? value, string root, string? name)
    {
        var results = schema.Evaluate(value, new EvaluationOptions { OutputFormat = OutputFormat.List });
        if (results.IsValid)
        {
            return [];
        }

        var problems = new List<RequestProblem>();
        foreach (var detail in results.Details.Where(d => d.HasErrors))
        {
            var loc = new List<object> { root };
            if (name is not null)
            {
                loc.Add(name);
            }

            foreach (var segment in detail.InstanceLocation.ToString().Split('/', StringSplitOptions.RemoveEmptyEntries))
            {
                var text = segment.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);
                loc.Add(int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var index) ? index : text);
            }

            foreach (var (keyword, message) in detail.Errors!)
            {
                problems.Add(new RequestProblem(loc, message, keyword));
            }
        }

        if (problems.Count == 0)
        {
            problems.Add(new RequestProblem([root], "Input does not match the schema", "schema"));
        }

        // Several branches can say the same thing about one spot; one line each is enough.
        return problems.DistinctBy(p => p.ToString() + p.Type).Take(50).ToList();
    }

    /// <summary>A query string value as the JSON the parameter's schema describes (arrays are comma-separated).</summary>
    private static JsonNode? QueryValue(JsonObject schema, string text, out string? problem)
    {
        problem = null;
        var types = TypesOf(schema);
        if (types.Contains("array"))
        {
            return new JsonArray(text.Split(',').Select(s => (JsonNode?)JsonValue.Create(s)).ToArray());
        }

        if (types.Contains("integer"))
        {
            if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n))
            {
                return JsonValue.Create(n);
            }

            problem = "Input should be a valid integer, unable to parse string as an integer";
            return null;
        }

        if (types.Contains("boolean"))
        {
            if (bool.TryParse(text, out var b))
            {
                return JsonValue.Create(b);
            }

            problem = "Input should be a valid boolean";
            return null;
        }

        return JsonValue.Create(text);
    }

    private static HashSet<string> TypesOf(JsonObject schema)
    {
        var types = new HashSet<string>(StringComparer.Ordinal);
        switch (schema["type"])
        {
            case JsonValue v when v.TryGetValue<string>(out var t):
                types.Add(t);
                break;
            case JsonArray a:
                types.UnionWith(a.Select(x => (string?)x).OfType<string>());
                break;
        }

        foreach (var key in (string[])["anyOf", "oneOf"])
        {
            if (schema[key] is JsonArray options)
            {
                foreach (var option in options.OfType<JsonObject>())
                {
                    types.UnionWith(TypesOf(option));
                }
            }
        }

        return types;
    }

    /// <summary>
    /// Rewrites OpenAPI into plain JSON Schema 2020-12: <c>#/components/schemas/X</c> → <c>#/$defs/X</c>, and
    /// <c>nullable: true</c> → null allowed (a type list with "null", null in an enum, or anyOf with a $ref).
    /// </summary>
    private static JsonNode? Normalize(JsonNode? node)
    {
        switch (node)
        {
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    var replaced = Normalize(array[i]);
                    if (!ReferenceEquals(replaced, array[i]))
                    {
                        array[i] = replaced;
                    }
                }

                return array;
            case JsonObject obj:
                foreach (var key in obj.Select(p => p.Key).ToList())
                {
                    if (key == "$ref" && obj[key] is JsonValue r && r.TryGetValue<string>(out var target))
                    {
                        obj[key] = target.Replace("#/components/schemas/", "#/$defs/", StringComparison.Ordinal);
                        continue;
                    }

                    var child = obj[key];
                    var replaced = Normalize(child);
                    if (!ReferenceEquals(replaced, child))
                    {
                        obj[key] = replaced;
                    }
                }

                if (obj["nullable"] is JsonValue nullable && nullable.TryGetValue<bool>(out var isNullable))
                {
                    obj.Remove("nullable");
                    if (isNullable)
                    {
                        return AllowNull(obj);
                    }
                }

                return obj;
            default:
                return node;
        }
    }

    private static JsonNode AllowNull(JsonObject obj)
    {
        if (obj["$ref"] is not null)
        {
            var inner = (JsonObject)obj.DeepClone();
            return new JsonObject { ["anyOf"] = new JsonArray(inner, new JsonObject { ["type"] = "null" }) };
        }

        if (obj["type"] is JsonValue type && type.TryGetValue<string>(out var t))
        {
            obj["type"] = new JsonArray(t, "null");
        }

        if (obj["enum"] is JsonArray values)
        {
            values.Add(null);
        }

        return obj;
    }
}
