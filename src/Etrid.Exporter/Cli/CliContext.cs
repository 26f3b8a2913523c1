using System.Collections;

namespace Etrid.Exporter.Cli;

/// <summary>
/// What a verb sees of its surroundings: where it writes and the environment it reads (<c>ETRID_*</c> keys,
/// <c>${VAR}</c> secrets). The process's own in the executables; buffers and a given environment when tests
/// run a command line in-process.
/// </summary>
/// <param name="Out">What the verb prints for the user (URLs, the effective configuration, the table).</param>
/// <param name="Error">Problems, one <c>error:</c> line each.</param>
/// <param name="Environment">The environment variables.</param>
internal sealed record CliContext(TextWriter Out, TextWriter Error, IReadOnlyDictionary<string, string> Environment)
{
    /// <summary>The process's standard output, error and environment.</summary>
    public static CliContext Console => new(System.Console.Out, System.Console.Error, ProcessEnvironment());

    /// <summary>A variable's value, or null when it is not set.</summary>
    public string? Variable(string name) => Environment.TryGetValue(name, out var value) ? value : null;

    private static Dictionary<string, string> ProcessEnvironment() =>
        System.Environment.GetEnvironmentVariables().Cast<DictionaryEntry>()
            .ToDictionary(e => (string)e.Key, e => (string?)e.Value ?? string.Empty, StringComparer.Ordinal);
}
