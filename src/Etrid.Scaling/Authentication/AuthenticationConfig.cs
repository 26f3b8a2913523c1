using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;

namespace Etrid.Scaling.Authentication;

/// <summary>
/// What identifies a caller: the client CA, the front proxy's request-header CA with its allowed
/// names and header names. Comes from the cluster's <c>extension-apiserver-authentication</c>
/// ConfigMap and/or from files; immutable, replaced whole when the ConfigMap changes.
/// </summary>
public sealed record AuthenticationConfig
{
    /// <summary>Name of the cluster's ConfigMap.</summary>
    public const string ConfigMapName = "extension-apiserver-authentication";

    /// <summary>Namespace of the cluster's ConfigMap.</summary>
    public const string ConfigMapNamespace = "kube-system";

    private const int MaxPemChars = 1 << 20;
    private const int MaxListEntries = 64;

    /// <summary>Nothing trusted.</summary>
    public static AuthenticationConfig Empty { get; } = new();

    /// <summary>CAs of client certificates (user = CN, groups = O).</summary>
    public X509Certificate2Collection ClientCa { get; init; } = [];

    /// <summary>CAs of the front proxy allowed to assert identities in headers.</summary>
    public X509Certificate2Collection RequestHeaderCa { get; init; } = [];

    /// <summary>Common names allowed to assert identities; empty = any the request-header CA signed.</summary>
    public IReadOnlyList<string> AllowedNames { get; init; } = [];

    /// <summary>Headers naming the user (the first present wins).</summary>
    public IReadOnlyList<string> UsernameHeaders { get; init; } = ["X-Remote-User"];

    /// <summary>Headers naming groups (all values of all of them).</summary>
    public IReadOnlyList<string> GroupHeaders { get; init; } = ["X-Remote-Group"];

    /// <summary>Prefixes of headers carrying extra attributes.</summary>
    public IReadOnlyList<string> ExtraHeaderPrefixes { get; init; } = ["X-Remote-Extra-"];

    /// <summary>Headers carrying the uid.</summary>
    public IReadOnlyList<string> UidHeaders { get; init; } = [];

    /// <summary>Where it came from, for logs.</summary>
    public string Source { get; init; } = "none";

    /// <summary>True when nothing can authenticate a client certificate.</summary>
    public bool TrustsNoCertificate => ClientCa.Count == 0 && RequestHeaderCa.Count == 0;

    /// <summary>Reads the ConfigMap's data (keys as kube-apiserver writes them); bounded in sizes.</summary>
    /// <exception cref="FormatException">A key holds something that is not PEM or a JSON array of strings.</exception>
    public static AuthenticationConfig FromConfigMap(IDictionary<string, string>? data)
    {
        data ??= new Dictionary<string, string>();
        return new AuthenticationConfig
        {
            ClientCa = Pem(data, "client-ca-file"),
            RequestHeaderCa = Pem(data, "requestheader-client-ca-file"),
            AllowedNames = List(data, "requestheader-allowed-names", []),
            UsernameHeaders = List(data, "requestheader-username-headers", ["X-Remote-User"]),
            GroupHeaders = List(data, "requestheader-group-headers", ["X-Remote-Group"]),
            ExtraHeaderPrefixes = List(data, "requestheader-extra-headers-prefix", ["X-Remote-Extra-"]),
            UidHeaders = List(data, "requestheader-uid-headers", []),
            Source = $"ConfigMap {ConfigMapNamespace}/{ConfigMapName}",
        };
    }

    /// <summary>Reads a PEM CA bundle file.</summary>
    public static X509Certificate2Collection LoadPemFile(string path)
    {
        var info = new FileInfo(path);
        if (info.Length > MaxPemChars)
        {
            throw new FormatException($"{path} is {info.Length} bytes; a CA bundle of at most {MaxPemChars} is expected");
        }

        return ParsePem(File.ReadAllText(path), path);
    }

    /// <summary>This configuration with <paramref name="other"/>'s CAs added (files add to what the cluster gives).</summary>
    public AuthenticationConfig WithCasFrom(AuthenticationConfig other)
    {
        ArgumentNullException.ThrowIfNull(other);
        var client = new X509Certificate2Collection(ClientCa);
        client.AddRange(other.ClientCa);
        var header = new X509Certificate2Collection(RequestHeaderCa);
        header.AddRange(other.RequestHeaderCa);
        return this with { ClientCa = client, RequestHeaderCa = header, Source = Source + " + " + other.Source };
    }

    private static X509Certificate2Collection Pem(IDictionary<string, string> data, string key) =>
        data.TryGetValue(key, out var pem) && !string.IsNullOrWhiteSpace(pem) ? ParsePem(pem, key) : [];

    private static X509Certificate2Collection ParsePem(string pem, string what)
    {
        if (pem.Length > MaxPemChars)
        {
            throw new FormatException($"{what}: {pem.Length} characters; at most {MaxPemChars} are accepted");
        }

        var collection = new X509Certificate2Collection();
        try
        {
            collection.ImportFromPem(pem);
        }
        catch (CryptographicException e)
        {
            throw new FormatException($"{what}: not a PEM certificate bundle: {e.Message}", e);
        }

        if (collection.Count == 0)
        {
            throw new FormatException($"{what}: no certificate found in the PEM text");
        }

        return collection;
    }

    private static string[] List(IDictionary<string, string> data, string key, string[] fallback)
    {
        if (!data.TryGetValue(key, out var json) || string.IsNullOrWhiteSpace(json))
        {
            return fallback;
        }

        try
        {
            var list = JsonSerializer.Deserialize<string[]>(json) ?? [];
            if (list.Length > MaxListEntries)
            {
                throw new FormatException($"{key}: {list.Length} entries; at most {MaxListEntries} are accepted");
            }

            return list;
        }
        catch (JsonException e)
        {
            throw new FormatException($"{key}: not a JSON array of strings: {e.Message}", e);
        }
    }
}
