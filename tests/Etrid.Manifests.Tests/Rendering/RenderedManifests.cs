using System.Collections.Concurrent;
using Etrid.Manifests.Tests.Crds;
using k8s;
using k8s.Models;

namespace Etrid.Manifests.Tests.Rendering;

/// <summary>
/// The output of one variant, loaded strictly (an unknown field is an error) into KubernetesClient's
/// model types, and into the test's own types for the CRDs KubernetesClient does not model.
/// </summary>
internal sealed class RenderedManifests
{
    private static readonly ConcurrentDictionary<string, Lazy<RenderedManifests>> Cache = new(StringComparer.Ordinal);

    private static readonly Dictionary<string, Type> CrdTypes = new(StringComparer.Ordinal)
    {
        ["keda.sh/v1alpha1/ScaledObject"] = typeof(ScaledObject),
        ["keda.sh/v1alpha1/TriggerAuthentication"] = typeof(TriggerAuthentication),
        ["monitoring.coreos.com/v1/ServiceMonitor"] = typeof(ServiceMonitor),
        ["monitoring.coreos.com/v1/PrometheusRule"] = typeof(PrometheusRule),
        ["cert-manager.io/v1/Certificate"] = typeof(Certificate),
        ["cert-manager.io/v1/Issuer"] = typeof(Issuer),
    };

    private RenderedManifests(Variant variant, string text)
    {
        Variant = variant;
        Text = text;
        Objects = KubernetesYaml.LoadAllFromString(text, CrdTypes, strict: true)
            .Select(o => o as IKubernetesObject<V1ObjectMeta>
                ?? throw new InvalidOperationException($"{variant.Name}: {o.GetType().Name} is not a Kubernetes object"))
            .ToList();
    }

    public Variant Variant { get; }

    /// <summary>The rendered YAML, as kubectl printed it.</summary>
    public string Text { get; }

    public IReadOnlyList<IKubernetesObject<V1ObjectMeta>> Objects { get; }

    /// <summary>Renders once per test run; every test of a variant reads the same objects.</summary>
    public static RenderedManifests Of(string variant) =>
        Cache.GetOrAdd(variant, name => new Lazy<RenderedManifests>(() =>
        {
            var v = Variant.Named(name);
            return new RenderedManifests(v, Kustomize.Render(v.Directory));
        })).Value;

    public IEnumerable<T> All<T>() => Objects.OfType<T>();

    public T Get<T>(string name)
        where T : IKubernetesObject<V1ObjectMeta>
    {
        var matches = All<T>().Where(o => o.Metadata.Name == name).ToList();
        return matches.Count == 1
            ? matches[0]
            : throw new InvalidOperationException($"{Variant.Name}: {matches.Count} {typeof(T).Name} named {name}");
    }

    public T? Find<T>(string name)
        where T : class, IKubernetesObject<V1ObjectMeta> =>
        All<T>().SingleOrDefault(o => o.Metadata.Name == name);

    /// <summary>The ConfigMap kustomize generated from <paramref name="generatorName"/> (its name carries a content hash).</summary>
    public V1ConfigMap GeneratedConfigMap(string generatorName) =>
        All<V1ConfigMap>().Single(c => c.Metadata.Name.StartsWith(generatorName + "-", StringComparison.Ordinal)
            && c.Metadata.Name.Length == generatorName.Length + 11);
}
