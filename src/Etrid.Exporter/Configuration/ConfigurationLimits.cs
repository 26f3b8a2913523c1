using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Etrid.Exporter.Configuration;

/// <summary>
/// Bounds on configuration input, checked before anything is built from it: the file's size, the YAML's
/// nesting depth and its size once aliases are expanded (a 400-byte alias bomb expands to a billion values),
/// and each value's length. YamlDotNet's <c>YamlStream</c>, which the YAML provider loads, has no limit of its
/// own on any of these (only the object deserializer has a recursion limit), so the document is first read
/// as YamlDotNet's event stream, which holds one event at a time and never expands an alias.
/// </summary>
public static class ConfigurationLimits
{
    /// <summary>The largest configuration file read: 1 MiB (the shipped ones are a few KiB).</summary>
    public const int MaxFileBytes = 1 << 20;

    /// <summary>The deepest nesting of sections and lists (the options themselves go five deep).</summary>
    public const int MaxDepth = 64;

    /// <summary>The most values, sections and lists in the file, counting every alias as the copy it stands for.</summary>
    public const int MaxNodes = 10_000;

    /// <summary>The longest value, in characters, from the file or a variable: the API's limit on the whole boot script.</summary>
    public const int MaxValueLength = 10_000;

    /// <summary>Reads the file, refusing one larger than <see cref="MaxFileBytes"/> (reading no more than one byte past it, whatever the file claims).</summary>
    public static byte[] ReadFile(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        var buffer = new byte[MaxFileBytes + 1];
        var length = 0;
        int read;
        while (length < buffer.Length && (read = stream.Read(buffer, length, buffer.Length - length)) > 0)
        {
            length += read;
        }

        if (length > MaxFileBytes)
        {
            throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"larger than {MaxFileBytes} bytes (1 MiB), the limit for a configuration file"));
        }

        return buffer[..length];
    }

    /// <summary>Checks the YAML's depth and expanded size; a syntax error is the <see cref="YamlException"/> the loader would throw.</summary>
    /// <exception cref="InvalidDataException">Over a limit; the message names it and where it was reached.</exception>
    public static void CheckYaml(TextReader yaml)
    {
        // Per anchor: the nodes it stands for and the levels of nesting it adds (0 for a value).
        var anchors = new Dictionary<string, (long Nodes, int Levels)>(StringComparer.Ordinal);
        // Per open section or list: its anchor, the node count when it opened, the deepest level reached inside.
        var open = new Stack<(string? Anchor, long NodesAtStart, int Deepest)>();
        long nodes = 0;
        var parser = new Parser(yaml);
        while (parser.MoveNext())
        {
            switch (parser.Current)
            {
                case Scalar scalar:
                    Add(1, 0, scalar);
                    if (!scalar.Anchor.IsEmpty)
                    {
                        anchors[scalar.Anchor.Value] = (1, 0);
                    }

                    break;
                case NodeEvent { } start and (MappingStart or SequenceStart):
                    Add(1, 0, start);
                    open.Push((start.Anchor.IsEmpty ? null : start.Anchor.Value, nodes, open.Count + 1));
                    if (open.Count > MaxDepth)
                    {
                        throw Over($"YAML nested deeper than {MaxDepth} levels (the limit)", start);
                    }

                    break;
                case MappingEnd or SequenceEnd when open.Count > 0:
                    var (anchor, atStart, deepest) = open.Pop();
                    if (anchor is not null)
                    {
                        anchors[anchor] = (nodes - atStart + 1, deepest - open.Count);
                    }

                    if (open.Count > 0)
                    {
                        var parent = open.Pop();
                        open.Push(parent with { Deepest = Math.Max(parent.Deepest, deepest) });
                    }

                    break;
                case AnchorAlias alias when anchors.TryGetValue(alias.Value.Value, out var target):
                    Add(target.Nodes, target.Levels, alias);
                    break;
                default:
                    break;
            }
        }

        // One more node (or an alias's worth of them) inside the current level, adding levels of nesting below it.
        void Add(long count, int levels, ParsingEvent at)
        {
            nodes += count;
            if (nodes > MaxNodes)
            {
                throw Over(at is AnchorAlias a ? $"more than {MaxNodes} values once YAML aliases are expanded (the limit), at *{a.Value}" : $"more than {MaxNodes} values (the limit)", at);
            }

            var level = open.Count + levels;
            if (level > MaxDepth)
            {
                throw Over($"YAML nested deeper than {MaxDepth} levels once aliases are expanded (the limit)", at);
            }

            if (open.Count > 0 && levels > 0)
            {
                var parent = open.Pop();
                open.Push(parent with { Deepest = Math.Max(parent.Deepest, level) });
            }
        }
    }

    private static InvalidDataException Over(string what, ParsingEvent at) =>
        new(string.Create(CultureInfo.InvariantCulture, $"{what}, line {at.Start.Line}, column {at.Start.Column}"));
}
