using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace Etrid.Burst.Naming;

/// <summary>
/// Bid names <c>{base}-{hash8}-{rand5}</c> (section 9.1): the base names the pool, the hash the
/// configuration a bid was made with, the suffix makes it unique. Ownership is decided by the whole
/// shape, so pool <c>a</c> never claims the bids of pool <c>a-b</c>.
/// </summary>
public static partial class BidNaming
{
    /// <summary>Longest name produced.</summary>
    public const int MaxNameLength = 63;

    private const string SuffixAlphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
    private const int MaxBaseLength = MaxNameLength - 15;

    /// <summary>The pool's base: <c>etrid-&lt;pool&gt;</c>, lowercase <c>[a-z0-9-]</c>, shortened to fit.</summary>
    public static string BaseFor(string poolName)
    {
        var chars = ("etrid-" + poolName).ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-').ToArray();
        var text = MultipleDashes().Replace(new string(chars), "-").Trim('-');
        return text.Length <= MaxBaseLength ? text : text[..MaxBaseLength].TrimEnd('-');
    }

    /// <summary>The configuration hash: first 8 hex of SHA-256 over <c>key=value\n</c> lines in the spec's order.</summary>
    public static string Hash8(BidConfiguration config)
    {
        var text = new StringBuilder()
            .Append("v=1\n")
            .Append("pool=").Append(config.Pool).Append('\n')
            .Append("project=").Append(config.Project).Append('\n')
            .Append("region=").Append(config.Region).Append('\n')
            .Append("instance_type=").Append(config.InstanceType).Append('\n')
            .Append("limit_cents=").Append(config.LimitCents.ToString(CultureInfo.InvariantCulture)).Append('\n')
            .Append("ssh_keys=").Append(string.Join(',', config.SshKeys.Order(StringComparer.Ordinal))).Append('\n')
            .Append("agent_version=").Append(config.AgentVersion).Append('\n')
            .Append("memory_gb=").Append(config.MemoryGb?.ToString(CultureInfo.InvariantCulture) ?? "").Append('\n')
            .Append("boot=").Append(config.BootTemplateSha256).Append('\n')
            .ToString();
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..8];
    }

    /// <summary>A new name for the pool's current configuration; the suffix is redrawn while it collides.</summary>
    public static string NewName(string baseName, string hash8, Random random, IReadOnlySet<string> taken)
    {
        for (var attempt = 0; attempt < 1000; attempt++)
        {
            var suffix = string.Create(5, random, (span, r) =>
            {
                for (var i = 0; i < span.Length; i++)
                {
                    span[i] = SuffixAlphabet[r.Next(SuffixAlphabet.Length)];
                }
            });
            var name = $"{baseName}-{hash8}-{suffix}";
            if (!taken.Contains(name))
            {
                return name;
            }
        }

        throw new InvalidOperationException("no free bid name after 1000 draws");
    }

    /// <summary>True when the name has this pool's shape (<c>{base}-{8 hex}-{5 of a-z0-9}</c>).</summary>
    public static bool IsOwned(string name, string baseName) =>
        name.Length == baseName.Length + 15 &&
        name.StartsWith(baseName + "-", StringComparison.Ordinal) &&
        Tail().IsMatch(name.AsSpan(baseName.Length));

    /// <summary>True when the name is owned and carries the current configuration hash.</summary>
    public static bool IsCurrent(string name, string baseName, string hash8) =>
        IsOwned(name, baseName) && string.CompareOrdinal(name, baseName.Length + 1, hash8, 0, 8) == 0;

    [GeneratedRegex("-{2,}", RegexOptions.CultureInvariant)]
    private static partial Regex MultipleDashes();

    [GeneratedRegex("^-[0-9a-f]{8}-[a-z0-9]{5}$", RegexOptions.CultureInvariant)]
    private static partial Regex Tail();
}
