namespace Etrid.Tests.Shared;

/// <summary>The checkout the tests run from: the first directory above the test assembly that holds <c>Exporter.sln</c>.</summary>
internal static class RepositoryRoot
{
    public static string Path { get; } = Find();

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "Exporter.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"no directory above {AppContext.BaseDirectory} holds Exporter.sln");
    }
}
