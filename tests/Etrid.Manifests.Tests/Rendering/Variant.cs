namespace Etrid.Manifests.Tests.Rendering;

/// <summary>One kustomization the tests render: the base, each overlay, and each overlay with all its optional components.</summary>
internal sealed record Variant(string Name, string Directory)
{
    public const string Base = "base";
    public const string Hpa = "hpa";
    public const string Keda = "keda";
    public const string HpaAllComponents = "hpa-all-components";
    public const string KedaAllComponents = "keda-all-components";

    public static IReadOnlyList<Variant> All { get; } =
    [
        new(Base, Path.Combine(RepositoryPaths.Manifests, "base")),
        new(Hpa, Path.Combine(RepositoryPaths.Manifests, "overlays", "hpa")),
        new(Keda, Path.Combine(RepositoryPaths.Manifests, "overlays", "keda")),
        new(HpaAllComponents, Path.Combine(RepositoryPaths.TestProject, "Variants", HpaAllComponents)),
        new(KedaAllComponents, Path.Combine(RepositoryPaths.TestProject, "Variants", KedaAllComponents)),
    ];

    /// <summary>Every variant that runs the HPA path.</summary>
    public static IReadOnlyList<string> HpaPath { get; } = [Hpa, HpaAllComponents];

    /// <summary>Every variant that runs the KEDA path.</summary>
    public static IReadOnlyList<string> KedaPath { get; } = [Keda, KedaAllComponents];

    public static Variant Named(string name) => All.Single(v => v.Name == name);
}
