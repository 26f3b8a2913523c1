using System.Text.RegularExpressions;
using System.Xml.Linq;
using Etrid.Manifests.Tests.Rendering;
using k8s.Models;

namespace Etrid.Manifests.Tests;

/// <summary>The Dockerfile and the manifests agree: the user, the ports, and every project the build needs.</summary>
public sealed partial class ContainerImageTests
{
    private static readonly string[] Lines = File.ReadAllLines(Path.Combine(RepositoryPaths.Root, "Dockerfile"));

    private static IEnumerable<string> RuntimeStage => Lines.SkipWhile(l => !l.StartsWith("FROM", StringComparison.Ordinal)).Skip(1).SkipWhile(l => !l.StartsWith("FROM", StringComparison.Ordinal));

    [Fact]
    public void The_runtime_stage_is_the_chiseled_aspnet_image_running_as_the_uid_the_deployment_uses()
    {
        var from = RuntimeStage.First();
        Assert.Matches(@"^FROM mcr\.microsoft\.com/dotnet/aspnet:10\.0-[a-z]+-chiseled$", from);
        var user = Assert.Single(RuntimeStage, l => l.StartsWith("USER ", StringComparison.Ordinal))["USER ".Length..].Split(':');
        var pod = RenderedManifests.Of(Variant.Base).Get<V1Deployment>("etrid-exporter").Spec.Template.Spec;
        Assert.Equal(pod.SecurityContext.RunAsUser.ToString(), user[0]);
        Assert.Equal(pod.SecurityContext.RunAsGroup.ToString(), user[1]);
        Assert.DoesNotContain(RuntimeStage, l => l.StartsWith("RUN ", StringComparison.Ordinal));
    }

    [Fact]
    public void The_image_exposes_exactly_the_deployments_ports()
    {
        var exposed = Assert.Single(RuntimeStage, l => l.StartsWith("EXPOSE ", StringComparison.Ordinal))["EXPOSE ".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse).Order();
        var container = Assert.Single(RenderedManifests.Of(Variant.Base).Get<V1Deployment>("etrid-exporter").Spec.Template.Spec.Containers);
        Assert.Equal(container.Ports.Select(p => p.ContainerPort).Order(), exposed);
    }

    [Fact]
    public void Every_project_the_exporter_builds_from_is_copied_before_the_restore()
    {
        var copied = Lines.TakeWhile(l => !l.StartsWith("RUN dotnet restore", StringComparison.Ordinal))
            .Select(l => CopiedProject().Match(l)).Where(m => m.Success).Select(m => m.Groups[1].Value).ToHashSet(StringComparer.Ordinal);
        var needed = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>(["src/Etrid.Exporter/Etrid.Exporter.csproj"]);
        while (pending.TryPop(out var project))
        {
            if (!needed.Add(project))
            {
                continue;
            }

            var dir = Path.GetDirectoryName(project)!;
            foreach (var reference in XDocument.Load(Path.Combine(RepositoryPaths.Root, project)).Descendants("ProjectReference"))
            {
                var full = Path.GetFullPath(Path.Combine(RepositoryPaths.Root, dir, reference.Attribute("Include")!.Value.Replace('\\', '/')));
                pending.Push(Path.GetRelativePath(RepositoryPaths.Root, full).Replace('\\', '/'));
            }
        }

        Assert.Empty(needed.Except(copied));
        Assert.True(File.Exists(Path.Combine(RepositoryPaths.Root, ".dockerignore")));
    }

    [GeneratedRegex(@"^COPY (src/[^ ]+\.csproj) ")]
    private static partial Regex CopiedProject();
}
