using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Etrid.Mithril.Errors;

/// <summary>
/// Reads an error body leniently: a 422 <c>detail</c> list, a <c>detail</c> string, <c>error</c>, <c>message</c>,
/// else the raw text capped at 1 KiB. Never throws on an unknown shape.
/// </summary>
public static class ErrorBodyReader
{
    /// <summary>Longest raw text kept from an error body.</summary>
    public const int MaxRawChars = 1024;

    private const int MaxProblems = 50;

    /// <summary>The error text and, for a detail list, its items.</summary>
    public static (string Detail, IReadOnlyList<ValidationProblem> Problems) Read(ReadOnlySpan<byte> body)
    {
        if (body.IsEmpty)
        {
            return ("(empty body)", []);
        }

        try
        {
            var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = 16 });
            using var doc = JsonDocument.ParseValue(ref reader);
            if (doc.RootElement.ValueKind == JsonValueKind.Object)
            {
                if (doc.RootElement.TryGetProperty("detail", out var detail))
                {
                    if (detail.ValueKind == JsonValueKind.String)
                    {
                        return (Cap(detail.GetString() ?? ""), []);
                    }

                    if (detail.ValueKind == JsonValueKind.Array)
                    {
                        var problems = detail.EnumerateArray().Take(MaxProblems).Select(ReadProblem).ToList();
                        return (Cap(string.Join("; ", problems)), problems);
                    }
                }

                foreach (var name in (string[])["error", "message"])
                {
                    if (doc.RootElement.TryGetProperty(name, out var text) && text.ValueKind == JsonValueKind.String)
                    {
                        return (Cap(text.GetString() ?? ""), []);
                    }
                }
            }
        }
        catch (JsonException)
        {
            // Not JSON: fall through to the raw text.
        }

        var raw = Encoding.UTF8.GetString(body[..Math.Min(body.Length, MaxRawChars * 4)]);
        return (Cap(raw.Trim()), []);
    }

    private static ValidationProblem ReadProblem(JsonElement item)
    {
        if (item.ValueKind != JsonValueKind.Object)
        {
            return new ValidationProblem("", Cap(item.ToString()), null);
        }

        var location = "";
        if (item.TryGetProperty("loc", out var loc) && loc.ValueKind == JsonValueKind.Array)
        {
            location = string.Join('.', loc.EnumerateArray().Take(16).Select(p => p.ValueKind switch
            {
                JsonValueKind.String => p.GetString(),
                JsonValueKind.Number => p.TryGetInt64(out var n) ? n.ToString(CultureInfo.InvariantCulture) : p.GetRawText(),
                _ => p.GetRawText(),
            }));
        }

        var message = item.TryGetProperty("msg", out var msg) && msg.ValueKind == JsonValueKind.String ? msg.GetString() ?? "" : "";
        var type = item.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
        return new ValidationProblem(Cap(location), Cap(message), type);
    }

    private static string Cap(string text) => text.Length <= MaxRawChars ? text : text[..MaxRawChars] + "…";
}
