using System.Diagnostics;
using System.Reflection;
using Etrid.Tests.Shared;

namespace Etrid.Exporter.Tests.Packaging;

/// <summary>
/// The production executable's publish output, as the Dockerfile makes it, carries nothing of the dev world: no dev
/// chain, dev market or simulation, and neither the OpenAPI validator they use nor a test package.
/// </summary>
[Trait("Category", "EndToEnd")]
public sealed class ProductionPublishTests : IDisposable
{
    private static readonly string[] DevWorld =
    [
        "Etrid.DevChain", "Etrid.DevMarket", "Etrid.Simulation", "Etrid.DevTools", "etrid-dev",
        "JsonSchema.Net", "Json.More", "JsonPointer.Net", "Microsoft.Extensions.TimeProvider.Testing",
    ];

    private readonly string _output = Directory.CreateTempSubdirectory("etrid-publish-").FullName;

    [Fact]
    public async Task ThePublishOutput_HoldsNoDevWorldAssembly_AndNoTestPackage()
    {
        // Published from the build the tests already made (same configuration), so the test does not rebuild the project.
        var configuration = typeof(ProductionPublishTests).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()!.Configuration;
        var project = Path.Combine(RepositoryRoot.Path, "src", "Etrid.Exporter", "Etrid.Exporter.csproj");
        var start = new ProcessStartInfo("dotnet", ["publish", project, "-c", configuration, "--no-build", "-o", _output, "-nologo"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var publish = Process.Start(start)!;
        var stdout = publish.StandardOutput.ReadToEndAsync();
        var stderr = publish.StandardError.ReadToEndAsync();
        await publish.WaitForExitAsync();
        Assert.True(publish.ExitCode == 0, await stdout + await stderr);

        var files = Directory.GetFiles(_output, "*", SearchOption.AllDirectories).Select(Path.GetFileName).ToList();
        Assert.Contains("etrid-exporter.dll", files);
        Assert.DoesNotContain(files, f => DevWorld.Any(d => f!.StartsWith(d + ".", StringComparison.OrdinalIgnoreCase)));

        // Nor does the dependency manifest name them (an assembly could be resolved from elsewhere at run time).
        var deps = await File.ReadAllTextAsync(Path.Combine(_output, "etrid-exporter.deps.json"));
        Assert.All(DevWorld, d => Assert.DoesNotContain($"\"{d}/", deps, StringComparison.OrdinalIgnoreCase));
    }

    public void Dispose() => Directory.Delete(_output, recursive: true);
}
