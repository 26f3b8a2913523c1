using System.Collections;
using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Numerics;
using System.Reflection;

namespace Etrid.Exporter.Configuration;

/// <summary>
/// The configuration's keys as the options classes declare them (<see cref="ConfigurationKeyNameAttribute"/>),
/// so each key is spelled once: finds unknown keys and values of the wrong kind before binding
/// (every problem with its key path), turns durations such as <c>6s</c> into what the binder reads,
/// splits comma-separated lists given as one value, and prints options back with secrets redacted.
/// </summary>
public static class OptionsSchema
{
    /// <summary>Checks and normalizes flat configuration <paramref name="values"/> (keys joined by ':') against the <paramref name="sections"/>.</summary>
    public static void Normalize(IReadOnlyList<OptionsSection> sections, IDictionary<string, string?> values, List<string> problems)
    {
        ArgumentNullException.ThrowIfNull(sections);
        var root = Tree.From(values);
        var topLevel = sections.Where(s => s.Key.Length == 0).SelectMany(s => s.Types).ToList();
        var topKeys = KeyedProperties(topLevel);
        var sectionsByKey = sections.Where(s => s.Key.Length > 0).ToDictionary(s => s.Key, StringComparer.OrdinalIgnoreCase);
        foreach (var (key, child) in root.Children)
        {
            if (sectionsByKey.TryGetValue(key, out var section))
            {
                if (child.Value is { Length: > 0 } && child.Children.Count == 0)
                {
                    problems.Add($"{section.Key}: expected a section of keys, found a single value");
                    continue;
                }

                Walk(section.Types, child, key, section.Key, values, problems);
                continue;
            }

            if (!topKeys.TryGetValue(key, out var property))
            {
                problems.Add($"{key}: unknown key" + Suggest(key, topKeys.Keys.Concat(sectionsByKey.Keys)));
                continue;
            }

            WalkValue(property.PropertyType, child, key, KeyOf(property), values, problems, IsSecret(property));
        }
    }

    /// <summary>Checks and normalizes flat configuration <paramref name="values"/> (keys joined by ':') against <paramref name="type"/> alone.</summary>
    public static void Normalize(Type type, IDictionary<string, string?> values, List<string> problems) =>
        Walk([type], Tree.From(values), string.Empty, string.Empty, values, problems);

    /// <summary>The key path of a property path (<c>Chain.StalenessLimit</c> → <c>chain.staleness_limit</c>), as far as it resolves.</summary>
    public static string KeyPath(Type type, string memberPath)
    {
        var parts = new List<string>();
        var current = type;
        foreach (var segment in memberPath.Split('.', StringSplitOptions.RemoveEmptyEntries))
        {
            var name = segment;
            var index = string.Empty;
            var bracket = segment.IndexOf('[', StringComparison.Ordinal);
            if (bracket >= 0)
            {
                name = segment[..bracket];
                index = segment[bracket..];
            }

            var property = current?.GetProperty(name, BindingFlags.Public | BindingFlags.Instance);
            if (property is null)
            {
                parts.Add(segment);
                current = null;
                continue;
            }

            parts.Add(KeyOf(property) + index);
            current = ElementType(property.PropertyType) ?? property.PropertyType;
        }

        return string.Join('.', parts);
    }

    /// <summary>The options as YAML, secrets (<c>[DataType(DataType.Password)]</c>) and URL credentials replaced by <c>***</c>.</summary>
    public static string Print(object options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var writer = new StringWriter(CultureInfo.InvariantCulture);
        PrintObjects([options], 0, writer);
        return writer.ToString();
    }

    /// <summary>
    /// Each section's options as YAML under its key (the top level's at the top), secrets and URL credentials replaced
    /// by <c>***</c>; a key two of a section's types declare is printed once, from the first.
    /// </summary>
    public static string Print(IEnumerable<(OptionsSection Section, IReadOnlyList<object> Options)> sections)
    {
        ArgumentNullException.ThrowIfNull(sections);
        var writer = new StringWriter(CultureInfo.InvariantCulture);
        foreach (var (section, options) in sections)
        {
            if (section.Key.Length == 0)
            {
                PrintObjects(options, 0, writer);
                continue;
            }

            writer.WriteLine($"{section.Key}:");
            PrintObjects(options, 1, writer);
        }

        return writer.ToString();
    }

    /// <summary>
    /// <paramref name="options"/> as flat configuration values under <paramref name="prefix"/> (keys joined by ':'), as the
    /// binder reads them back: for hosts composed in code (the demo, tests) rather than from a file.
    /// </summary>
    public static IEnumerable<KeyValuePair<string, string?>> Flatten(string prefix, object options)
    {
        ArgumentNullException.ThrowIfNull(options);
        foreach (var property in Properties(options.GetType()))
        {
            if (property.GetValue(options) is not { } value)
            {
                continue;
            }

            foreach (var pair in FlattenValue(Join(prefix, KeyOf(property), ':'), value))
            {
                yield return pair;
            }
        }
    }

    private static IEnumerable<KeyValuePair<string, string?>> FlattenValue(string key, object value)
    {
        if (IsScalar(value.GetType()))
        {
            return [KeyValuePair.Create(key, (string?)(value switch
            {
                TimeSpan t => t.ToString("c", CultureInfo.InvariantCulture),
                bool b => b ? "true" : "false",
                Uri u => u.OriginalString,
                IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
                _ => value.ToString(),
            }))];
        }

        if (value is IDictionary dictionary)
        {
            return dictionary.Cast<DictionaryEntry>().SelectMany(e => FlattenValue($"{key}:{e.Key}", e.Value!));
        }

        if (value is IEnumerable items and not string)
        {
            return items.Cast<object>().SelectMany((item, i) => FlattenValue($"{key}:{i}", item));
        }

        return Flatten(key, value);
    }

    internal static string KeyOf(PropertyInfo property) =>
        property.GetCustomAttribute<ConfigurationKeyNameAttribute>()?.Name ?? property.Name;

    /// <summary>The configuration keys of <paramref name="type"/>: its settable properties that name their key.</summary>
    internal static IEnumerable<PropertyInfo> Properties(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanWrite && p.GetIndexParameters().Length == 0 && p.GetCustomAttribute<ConfigurationKeyNameAttribute>() is not null);

    // The keys of one section: the union of its types' keys (a key two of them declare is one key, the first's).
    private static Dictionary<string, PropertyInfo> KeyedProperties(IEnumerable<Type> types)
    {
        var keyed = new Dictionary<string, PropertyInfo>(StringComparer.OrdinalIgnoreCase);
        foreach (var property in types.SelectMany(Properties))
        {
            keyed.TryAdd(KeyOf(property), property);
        }

        return keyed;
    }

    private static void Walk(IReadOnlyList<Type> types, Tree node, string configPath, string keyPath, IDictionary<string, string?> values, List<string> problems)
    {
        var properties = KeyedProperties(types);
        foreach (var (key, child) in node.Children)
        {
            var childConfig = Join(configPath, key, ':');
            if (!properties.TryGetValue(key, out var property))
            {
                problems.Add($"{Join(keyPath, key, '.')}: unknown key" + Suggest(key, properties.Keys));
                continue;
            }

            // Named as declared, whatever the case it came in (ETRID_CHAIN__STALENESS_LIMIT is chain.staleness_limit).
            var childKey = Join(keyPath, KeyOf(property), '.');
            WalkValue(property.PropertyType, child, childConfig, childKey, values, problems, IsSecret(property));
        }
    }

    private static void WalkValue(Type type, Tree node, string configPath, string keyPath, IDictionary<string, string?> values, List<string> problems, bool secret)
    {
        var underlying = Nullable.GetUnderlyingType(type) ?? type;
        if (IsScalar(underlying))
        {
            if (node.Children.Count > 0)
            {
                problems.Add($"{keyPath}: expected a single value, found a section");
                return;
            }

            if (node.Value is { } text && Convert(underlying, text) is { } error)
            {
                problems.Add($"{keyPath}: {(secret ? "the value" : $"'{text}'")} {error}");
                values.Remove(configPath);
            }
            else if (node.Value is { } duration && underlying == typeof(TimeSpan))
            {
                values[configPath] = DurationParser.Parse(duration).ToString("c", CultureInfo.InvariantCulture);
            }

            return;
        }

        if (ElementType(underlying) is { } element)
        {
            if (IsDictionary(underlying))
            {
                foreach (var (key, child) in node.Children)
                {
                    WalkValue(element, child, Join(configPath, key, ':'), Join(keyPath, key, '.'), values, problems, secret);
                }

                return;
            }

            if (node.Children.Count == 0 && node.Value is { Length: > 0 } list && IsScalar(element))
            {
                // A list given as one value (an environment variable): comma-separated items.
                values.Remove(configPath);
                var items = list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                for (var i = 0; i < items.Length; i++)
                {
                    values[$"{configPath}:{i}"] = items[i];
                    WalkValue(element, new Tree { Value = items[i] }, $"{configPath}:{i}", $"{keyPath}[{i}]", values, problems, secret);
                }

                return;
            }

            foreach (var (key, child) in node.Children)
            {
                if (!int.TryParse(key, NumberStyles.None, CultureInfo.InvariantCulture, out _))
                {
                    problems.Add($"{keyPath}: expected a list, found key '{key}'");
                    continue;
                }

                WalkValue(element, child, Join(configPath, key, ':'), $"{keyPath}[{key}]", values, problems, secret);
            }

            return;
        }

        if (node.Value is { Length: > 0 } && node.Children.Count == 0)
        {
            problems.Add($"{keyPath}: expected a section of keys, found a single value");
            return;
        }

        Walk([underlying], node, configPath, keyPath, values, problems);
    }

    private static string? Convert(Type type, string text)
    {
        var durationError = DurationParser.NotADuration;
        var ok = type switch
        {
            _ when type == typeof(string) => true,
            _ when type == typeof(TimeSpan) => DurationParser.TryParse(text, out _, out durationError),
            _ when type == typeof(int) => int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out _),
            _ when type == typeof(long) => long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out _),
            _ when type == typeof(double) => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d),
            _ when type == typeof(decimal) => decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out _),
            _ when type == typeof(bool) => bool.TryParse(text, out _),
            _ when type.IsEnum => Enum.TryParse(type, text, ignoreCase: true, out _),
            _ => true,
        };
        if (ok)
        {
            return null;
        }

        return type switch
        {
            _ when type == typeof(TimeSpan) => durationError,
            _ when type == typeof(int) && BigInteger.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out _) => $"is out of range (a whole number from {int.MinValue} to {int.MaxValue})",
            _ when type == typeof(long) && BigInteger.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out _) => $"is out of range (a whole number from {long.MinValue} to {long.MaxValue})",
            _ when type == typeof(int) || type == typeof(long) => "is not a whole number",
            _ when type == typeof(bool) => "must be true or false",
            _ when type.IsEnum => $"must be one of {string.Join(", ", Enum.GetNames(type).Select(n => n.ToLowerInvariant()))}",
            // A number all the same, only too large for the type: say so rather than "not a number".
            _ when type == typeof(double) && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out _) => $"is out of range (at most {double.MaxValue.ToString("R", CultureInfo.InvariantCulture)})",
            _ when type == typeof(decimal) && double.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out _) => $"is out of range (at most {decimal.MaxValue.ToString(CultureInfo.InvariantCulture)})",
            _ => "is not a number",
        };
    }

    private static bool IsScalar(Type type) =>
        type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(TimeSpan) || type == typeof(decimal) || type == typeof(Uri);

    private static bool IsSecret(PropertyInfo property) =>
        property.GetCustomAttribute<DataTypeAttribute>() is { DataType: DataType.Password };

    // IReadOnlyDictionary<,> (how options expose a map) does not implement the non-generic IDictionary: look at the generic definitions.
    private static bool IsDictionary(Type type) =>
        type.IsGenericType && type.GetGenericArguments().Length == 2 &&
        (typeof(IDictionary).IsAssignableFrom(type) || type.GetGenericTypeDefinition() is var d && (d == typeof(IReadOnlyDictionary<,>) || d == typeof(IDictionary<,>)));

    private static Type? ElementType(Type type)
    {
        if (type == typeof(string))
        {
            return null;
        }

        if (type.IsArray)
        {
            return type.GetElementType();
        }

        if (type.IsGenericType && typeof(IEnumerable).IsAssignableFrom(type))
        {
            var args = type.GetGenericArguments();
            return args.Length == 1 ? args[0] : args.Length == 2 ? args[1] : null;
        }

        return null;
    }

    // A key within two edits of a known one (a typo, a missing underscore) is named; else the known keys are listed.
    private static string Suggest(string key, IEnumerable<string> known)
    {
        var close = known.Select(k => (Key: k, Distance: Distance(key.ToLowerInvariant(), k.ToLowerInvariant()))).Where(c => c.Distance <= 2).OrderBy(c => c.Distance).FirstOrDefault();
        return close.Key is null ? $" (known: {string.Join(", ", known)})" : $" (did you mean '{close.Key}'?)";
    }

    private static int Distance(string a, string b)
    {
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var current = new int[b.Length + 1];
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                current[j] = Math.Min(Math.Min(current[j - 1], previous[j]) + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            }

            previous = current;
        }

        return previous[b.Length];
    }

    private static string Join(string path, string key, char separator) => path.Length == 0 ? key : $"{path}{separator}{key}";

    private static void PrintObjects(IReadOnlyList<object> instances, int depth, TextWriter writer)
    {
        var indent = new string(' ', depth * 2);
        var printed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (options, property) in instances.SelectMany(o => Properties(o.GetType()).Select(p => (o, p))))
        {
            var key = KeyOf(property);
            if (!printed.Add(key))
            {
                continue;
            }

            var value = property.GetValue(options);
            if (value is null)
            {
                continue;
            }

            var secret = IsSecret(property);
            if (IsScalar(value.GetType()))
            {
                writer.WriteLine($"{indent}{key}: {Scalar(value, secret)}");
            }
            else if (value is IDictionary dictionary)
            {
                writer.WriteLine(dictionary.Count == 0 ? $"{indent}{key}: {{}}" : $"{indent}{key}:");
                foreach (DictionaryEntry entry in dictionary)
                {
                    writer.WriteLine($"{indent}  {entry.Key}: {Scalar(entry.Value!, secret)}");
                }
            }
            else if (value is IEnumerable items and not string)
            {
                var list = items.Cast<object>().ToList();
                writer.WriteLine(list.Count == 0 ? $"{indent}{key}: []" : $"{indent}{key}:");
                foreach (var item in list)
                {
                    if (IsScalar(item.GetType()))
                    {
                        writer.WriteLine($"{indent}  - {Scalar(item, secret)}");
                    }
                    else
                    {
                        var nested = new StringWriter(CultureInfo.InvariantCulture);
                        PrintObjects([item], 0, nested);
                        var lines = nested.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
                        for (var i = 0; i < lines.Length; i++)
                        {
                            writer.WriteLine($"{indent}  {(i == 0 ? "- " : "  ")}{lines[i]}");
                        }
                    }
                }
            }
            else
            {
                writer.WriteLine($"{indent}{key}:");
                PrintObjects([value], depth + 1, writer);
            }
        }
    }

    private static string Scalar(object value, bool secret) => value switch
    {
        _ when secret => value is string { Length: 0 } ? "\"\"" : ConfigPrinter.Redacted,
        TimeSpan t => DurationParser.Format(t),
        bool b => b ? "true" : "false",
        Enum e => e.ToString().ToLowerInvariant(),
        Uri u => u.IsAbsoluteUri ? ConfigPrinter.RedactUrl(u) : u.OriginalString,
        string s when Uri.TryCreate(s, UriKind.Absolute, out var uri) && uri.Scheme.Length > 1 && s.Contains("://", StringComparison.Ordinal) => ConfigPrinter.RedactUrl(uri),
        string { Length: 0 } => "\"\"",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };

    /// <summary>Flat configuration keys as a tree (keys compared ignoring case, as configuration does).</summary>
    private sealed class Tree
    {
        public string? Value { get; set; }

        public Dictionary<string, Tree> Children { get; } = new(StringComparer.OrdinalIgnoreCase);

        public static Tree From(IDictionary<string, string?> values)
        {
            var root = new Tree();
            foreach (var (key, value) in values)
            {
                var node = root;
                foreach (var segment in key.Split(':'))
                {
                    if (!node.Children.TryGetValue(segment, out var child))
                    {
                        child = new Tree();
                        node.Children[segment] = child;
                    }

                    node = child;
                }

                node.Value = value;
            }

            return root;
        }
    }
}
