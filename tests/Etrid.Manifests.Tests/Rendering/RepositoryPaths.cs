namespace Etrid.Manifests.Tests.Rendering;

/// <summary>Directories of the source tree, found upwards from the test assembly.</summary>
internal static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    public static string Manifests => Path.Combine(Root, "manifests");

    public static string TestProject => Path.Combine(Root, "tests", "Etrid.Manifests.Tests");

    public static string Golden => Path.Combine(TestProject, "Golden");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Exporter.sln")) && Directory.Exists(Path.Combine(dir.FullName, "manifests")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"no directory above {AppContext.BaseDirectory} holds Exporter.sln and manifests/");
    }
}
