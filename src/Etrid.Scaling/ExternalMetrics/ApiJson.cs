using System.Globalization;
using System.Text.Json;
using Etrid.Scaling.Catalogue;
using Etrid.Scaling.Quantities;
using Microsoft.AspNetCore.Http;

namespace Etrid.Scaling.ExternalMetrics;

/// <summary>The JSON documents of the API (spec §1.2–§1.4), written straight to the response.</summary>
internal static class ApiJson
{
    public const string GroupName = "external.metrics.k8s.io";
    public const string Version = "v1beta1";
    public const string GroupVersion = GroupName + "/" + Version;

    /// <summary>The resource listed when configuration serves no metric: the list must never be empty.</summary>
    public const string PlaceholderResource = "externalmetrics";

    public static Task WriteStatusAsync(HttpResponse response, int code, string reason, string message) =>
        WriteAsync(response, code, w =>
        {
            w.WriteString("kind", "Status");
            w.WriteString("apiVersion", "v1");
            w.WriteStartObject("metadata");
            w.WriteEndObject();
            w.WriteString("status", "Failure");
            w.WriteString("message", message);
            w.WriteString("reason", reason);
            w.WriteNumber("code", code);
        });

    public static Task WriteResourceListAsync(HttpResponse response, IReadOnlyList<string> names) =>
        WriteAsync(response, StatusCodes.Status200OK, w =>
        {
            w.WriteString("kind", "APIResourceList");
            w.WriteString("apiVersion", "v1");
            w.WriteString("groupVersion", GroupVersion);
            w.WriteStartArray("resources");
            foreach (var name in names.Count == 0 ? [PlaceholderResource] : names)
            {
                w.WriteStartObject();
                w.WriteString("name", name);
                w.WriteString("singularName", string.Empty);
                w.WriteBoolean("namespaced", true);
                w.WriteString("kind", "ExternalMetricValueList");
                w.WriteStartArray("verbs");
                w.WriteStringValue("get");
                w.WriteEndArray();
                w.WriteEndObject();
            }

            w.WriteEndArray();
        });

    public static Task WriteGroupAsync(HttpResponse response) =>
        WriteAsync(response, StatusCodes.Status200OK, w =>
        {
            w.WriteString("kind", "APIGroup");
            w.WriteString("apiVersion", "v1");
            WriteGroupBody(w);
        });

    public static Task WriteGroupListAsync(HttpResponse response) =>
        WriteAsync(response, StatusCodes.Status200OK, w =>
        {
            w.WriteString("kind", "APIGroupList");
            w.WriteString("apiVersion", "v1");
            w.WriteStartArray("groups");
            w.WriteStartObject();
            WriteGroupBody(w);
            w.WriteEndObject();
            w.WriteEndArray();
        });

    /// <summary>The value list; every item's value must format (the catalogue checked it).</summary>
    public static Task WriteValueListAsync(HttpResponse response, IReadOnlyList<MetricItem> items, DateTimeOffset timestamp) =>
        WriteAsync(response, StatusCodes.Status200OK, w =>
        {
            w.WriteString("kind", "ExternalMetricValueList");
            w.WriteString("apiVersion", GroupVersion);
            w.WriteStartObject("metadata");
            w.WriteEndObject();
            w.WriteStartArray("items");
            var stamp = timestamp.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
            foreach (var item in items)
            {
                w.WriteStartObject();
                w.WriteString("metricName", item.MetricName);
                w.WriteStartObject("metricLabels");
                foreach (var (key, value) in item.Labels)
                {
                    w.WriteString(key, value);
                }

                w.WriteEndObject();
                w.WriteString("timestamp", stamp);
                Quantity.TryFormat(item.Value, out var quantity);
                w.WriteString("value", quantity);
                w.WriteEndObject();
            }

            w.WriteEndArray();
        });

    private static void WriteGroupBody(Utf8JsonWriter w)
    {
        w.WriteString("name", GroupName);
        w.WriteStartArray("versions");
        WriteGroupVersion(w);
        w.WriteEndArray();
        w.WritePropertyName("preferredVersion");
        WriteGroupVersion(w);
    }

    private static void WriteGroupVersion(Utf8JsonWriter w)
    {
        w.WriteStartObject();
        w.WriteString("groupVersion", GroupVersion);
        w.WriteString("version", Version);
        w.WriteEndObject();
    }

    private static async Task WriteAsync(HttpResponse response, int code, Action<Utf8JsonWriter> body)
    {
        response.StatusCode = code;
        response.ContentType = "application/json";
        // Written in memory first: the documents are small, and a writer cannot cross an await.
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            body(writer);
            writer.WriteEndObject();
        }

        response.ContentLength = buffer.WrittenCount;
        await response.Body.WriteAsync(buffer.WrittenMemory, response.HttpContext.RequestAborted).ConfigureAwait(false);
    }
}
