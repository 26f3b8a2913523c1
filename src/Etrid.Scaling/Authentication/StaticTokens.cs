using System.Security.Cryptography;
using System.Text;

namespace Etrid.Scaling.Authentication;

/// <summary>
/// Static bearer tokens in kube-apiserver's <c>--token-auth-file</c> format: CSV lines
/// <c>token,user,uid[,"group1,group2"]</c>. Tokens are kept only as SHA-256 digests.
/// </summary>
public sealed class StaticTokens
{
    private const long MaxFileBytes = 1 << 20;
    private readonly Dictionary<string, KubernetesUser> _byDigest;

    private StaticTokens(Dictionary<string, KubernetesUser> byDigest) => _byDigest = byDigest;

    /// <summary>Number of tokens.</summary>
    public int Count => _byDigest.Count;

    /// <summary>Reads the file; a malformed line is an error naming its number (never its token).</summary>
    /// <exception cref="FormatException">A line is malformed or the file is too large.</exception>
    public static StaticTokens Load(string path)
    {
        var info = new FileInfo(path);
        if (info.Length > MaxFileBytes)
        {
            throw new FormatException($"{path}: {info.Length} bytes; at most {MaxFileBytes} are accepted");
        }

        return Parse(File.ReadAllText(path), path);
    }

    /// <summary>Parses the file's text.</summary>
    public static StaticTokens Parse(string text, string what = "token file")
    {
        ArgumentNullException.ThrowIfNull(text);
        var byDigest = new Dictionary<string, KubernetesUser>(StringComparer.Ordinal);
        var lineNumber = 0;
        foreach (var raw in text.Split('\n'))
        {
            lineNumber++;
            var line = raw.TrimEnd('\r');
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var fields = SplitCsv(line);
            if (fields is null || fields.Count < 3 || fields[0].Length == 0 || fields[1].Length == 0)
            {
                throw new FormatException($"{what} line {lineNumber}: expected token,user,uid[,\"group1,group2\"]");
            }

            var groups = fields.Count > 3 ? fields[3].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) : [];
            byDigest[Digest(fields[0])] = new KubernetesUser(fields[1], fields[2].Length == 0 ? null : fields[2], groups, new Dictionary<string, IReadOnlyList<string>>());
        }

        return new StaticTokens(byDigest);
    }

    /// <summary>The user of <paramref name="token"/>, or null.</summary>
    public KubernetesUser? Find(string token) => _byDigest.GetValueOrDefault(Digest(token));

    internal static string Digest(string token) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    private static List<string>? SplitCsv(string line)
    {
        var fields = new List<string>();
        var current = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"')
                {
                    current.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    current.Append(c);
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == ',')
            {
                fields.Add(current.ToString().Trim());
                current.Clear();
            }
            else
            {
                current.Append(c);
            }
        }

        if (quoted)
        {
            return null;
        }

        fields.Add(current.ToString().Trim());
        return fields;
    }
}
