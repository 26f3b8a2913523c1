using Etrid.Manifests.Tests.Rendering;
using k8s.Models;

namespace Etrid.Manifests.Tests;

/// <summary>Every kustomization renders with the real kubectl and loads strictly into typed objects.</summary>
public sealed class RenderingTests
{
    public static TheoryData<string> Variants => [.. Variant.All.Select(v => v.Name)];

    [Theory]
    [MemberData(nameof(Variants))]
    public void Every_variant_renders_and_every_object_loads_into_a_model_type(string variant)
    {
        var rendered = RenderedManifests.Of(variant);

        Assert.NotEmpty(rendered.Objects);
        // Strict loading already refused unknown fields; every document is also a known kind.
        var documents = rendered.Text.Split("\n---\n").Length;
        Assert.Equal(documents, rendered.Objects.Count);
        Assert.All(rendered.Objects, o => Assert.False(string.IsNullOrEmpty(o.Metadata.Name)));
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void Rendered_output_matches_the_golden_file(string variant)
    {
        var rendered = RenderedManifests.Of(variant).Text;
        var golden = Path.Combine(RepositoryPaths.Golden, variant + ".yaml");

        if (Environment.GetEnvironmentVariable("UPDATE_GOLDEN") == "1")
        {
            File.WriteAllText(golden, rendered);
            return;
        }

        Assert.True(File.Exists(golden), $"{golden} is missing; run the tests once with UPDATE_GOLDEN=1 and review the diff");
        var expected = File.ReadAllText(golden).ReplaceLineEndings("\n");
        Assert.True(
            expected == rendered,
            $"kubectl kustomize output for {variant} differs from {golden}. If the change is intended, rerun with UPDATE_GOLDEN=1 and commit the diff.");
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void Every_namespaced_object_is_in_our_namespace_except_the_auth_reader_binding(string variant)
    {
        var rendered = RenderedManifests.Of(variant);
        var clusterScoped = new HashSet<string> { "Namespace", "ClusterRole", "ClusterRoleBinding", "APIService", "PriorityClass" };

        foreach (var o in rendered.Objects)
        {
            if (clusterScoped.Contains(o.Kind))
            {
                Assert.Null(o.Metadata.NamespaceProperty);
            }
            else if (o is V1RoleBinding { Metadata.Name: "etrid-exporter-auth-reader" })
            {
                Assert.Equal("kube-system", o.Metadata.NamespaceProperty);
            }
            else
            {
                Assert.True(o.Metadata.NamespaceProperty == "etrid-ai-compute", $"{o.Kind} {o.Metadata.Name} is in {o.Metadata.NamespaceProperty ?? "no namespace"}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void Every_object_carries_the_recommended_labels(string variant)
    {
        string[] required =
        [
            "app.kubernetes.io/name", "app.kubernetes.io/instance", "app.kubernetes.io/component",
            "app.kubernetes.io/part-of", "app.kubernetes.io/managed-by",
        ];

        foreach (var o in RenderedManifests.Of(variant).Objects.Where(o => o.Kind != "Namespace"))
        {
            var labels = o.Metadata.Labels ?? new Dictionary<string, string>();
            var missing = required.Where(k => !labels.ContainsKey(k)).ToList();
            Assert.True(missing.Count == 0, $"{o.Kind} {o.Metadata.Name} lacks {string.Join(", ", missing)}");
        }
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void Every_image_is_pinned_and_pulled_only_when_absent(string variant)
    {
        foreach (var deployment in RenderedManifests.Of(variant).All<V1Deployment>())
        {
            foreach (var container in deployment.Spec.Template.Spec.Containers)
            {
                var image = container.Image;
                var tag = image.Contains('@', StringComparison.Ordinal) ? "digest" : image[(image.LastIndexOf(':') + 1)..];
                Assert.True(image.Contains(':', StringComparison.Ordinal) && tag != "latest", $"{deployment.Metadata.Name}/{container.Name}: image {image} is not pinned");
                Assert.Equal("IfNotPresent", container.ImagePullPolicy);
            }
        }
    }
}
