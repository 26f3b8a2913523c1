using System.Collections;
using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Etrid.Exporter.Configuration;
using Microsoft.Extensions.Configuration;

namespace Etrid.Exporter.Tests.Support;

/// <summary>
/// The configuration reference as the options classes declare it: every key (by its
/// <see cref="ConfigurationKeyNameAttribute"/>), its kind, its default (from a fresh instance) and its meaning
/// (the property's XML documentation). The README's table must equal this one.
/// </summary>
internal static partial class OptionsReference
{
    public static string Table(IReadOnlyList<OptionsSection> sections)
    {
        var rows = new List<string> { "| key | type | default | meaning |", "| --- | --- | --- | --- |" };
        foreach (var section in sections)
        {
            var prefix = string.Empty;
            if (section.Key.Length > 0)
            {
                rows.Add($"| `{section.Key}` | section |  | {section.Meaning} |");
                prefix = section.Key + ".";
            }

            // A key two of the section's types declare is one key, documented by the first.
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var type in section.Types)
            {
                Walk(type, Activator.CreateInstance(type), prefix, rows, seen);
            }
        }

        return string.Join('\n', rows) + "\n";
    }

    private static void Walk(Type type, object? instance, string prefix, List<string> rows, HashSet<string>? seen = null)
    {
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite && p.GetIndexParameters().Length == 0 && p.GetCustomAttribute<ConfigurationKeyNameAttribute>() is not null))
        {
            var key = prefix + property.GetCustomAttribute<ConfigurationKeyNameAttribute>()!.Name;
            if (seen is not null && !seen.Add(key))
            {
                continue;
            }

            var value = instance is null ? null : property.GetValue(instance);
            var propertyType = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            var secret = property.GetCustomAttribute<DataTypeAttribute>() is { DataType: DataType.Password };
            var meaning = Meaning(property) + (secret ? " Printed as `***`." : string.Empty);
            if (Kind(propertyType) is { } kind)
            {
                rows.Add($"| `{key}` | {kind} | {Default(value, secret)} | {meaning} |");
                continue;
            }

            if (Element(propertyType) is { } element && Kind(element) is null && !IsDictionary(propertyType))
            {
                // A list of sections: its items' keys under key[].
                rows.Add($"| `{key}` | list of sections | {((value as IEnumerable)?.Cast<object>().Any() == true ? "see below" : "none")} | {meaning} |");
                Walk(element, Activator.CreateInstance(element), key + "[].", rows);
                continue;
            }

            rows.Add($"| `{key}` | section | {(value is null ? "none" : "")} | {meaning} |");
            Walk(propertyType, value ?? Activator.CreateInstance(propertyType), key + ".", rows);
        }
    }

    private static string? Kind(Type type) => type switch
    {
        _ when type == typeof(string) => "string",
        _ when type == typeof(bool) => "boolean",
        _ when type == typeof(int) || type == typeof(long) => "integer",
        _ when type == typeof(double) || type == typeof(decimal) => "number",
        _ when type == typeof(TimeSpan) => "duration",
        _ when type == typeof(Uri) => "URL",
        _ when type.IsEnum => "one of " + string.Join(", ", Enum.GetNames(type).Select(n => n.ToLowerInvariant())),
        _ when IsDictionary(type) => "map of strings",
        _ when Element(type) is { } e && Kind(e) is { } k => "list of " + (k is "string" or "URL" ? k + "s" : k),
        _ => null,
    };

    private static bool IsDictionary(Type type) =>
        type.IsGenericType && type.GetGenericArguments().Length == 2 && type.GetInterfaces().Concat([type]).Any(i => i.IsGenericType && i.GetGenericTypeDefinition() is var d && (d == typeof(IReadOnlyDictionary<,>) || d == typeof(IDictionary<,>)));

    private static Type? Element(Type type) =>
        type != typeof(string) && type.IsGenericType && typeof(IEnumerable).IsAssignableFrom(type) ? type.GetGenericArguments()[^1] : type.IsArray ? type.GetElementType() : null;

    private static string Default(object? value, bool secret) => value switch
    {
        null => "none",
        string { Length: 0 } => "empty",
        _ when secret => "`***`",
        TimeSpan t => $"`{DurationParser.Format(t)}`",
        Enum e => $"`{e.ToString().ToLowerInvariant()}`",
        bool b => b ? "`true`" : "`false`",
        IFormattable f => $"`{f.ToString(null, CultureInfo.InvariantCulture)}`",
        IDictionary { Count: 0 } => "empty",
        IEnumerable items and not string => items.Cast<object>().Any() ? $"`{string.Join(", ", items.Cast<object>())}`" : "empty",
        _ => $"`{value}`",
    };

    private static string Meaning(PropertyInfo property)
    {
        var assembly = property.DeclaringType!.Assembly;
        var docs = Docs(assembly);
        var member = $"P:{property.DeclaringType!.FullName!.Replace('+', '.')}.{property.Name}";
        if (!docs.TryGetValue(member, out var summary))
        {
            return "(undocumented)";
        }

        var text = new StringBuilder();
        foreach (var node in summary.Nodes())
        {
            text.Append(node switch
            {
                XText t => t.Value,
                XElement { Name.LocalName: "c" } c => $"`{c.Value}`",
                XElement { Name.LocalName: "see" } see => "`" + (see.Attribute("cref")?.Value.Split('.', ':')[^1] ?? see.Attribute("langword")?.Value ?? see.Value) + "`",
                XElement e => e.Value,
                _ => string.Empty,
            });
        }

        return Spaces().Replace(text.ToString(), " ").Trim().Replace("|", "\\|", StringComparison.Ordinal);
    }

    private static readonly Dictionary<Assembly, Dictionary<string, XElement>> Cache = [];

    private static Dictionary<string, XElement> Docs(Assembly assembly)
    {
        lock (Cache)
        {
            if (!Cache.TryGetValue(assembly, out var docs))
            {
                var path = Path.ChangeExtension(assembly.Location, ".xml");
                docs = File.Exists(path)
                    ? XDocument.Load(path).Descendants("member").Where(m => m.Element("summary") is not null).ToDictionary(m => m.Attribute("name")!.Value, m => m.Element("summary")!)
                    : [];
                Cache[assembly] = docs;
            }

            return docs;
        }
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();
}
