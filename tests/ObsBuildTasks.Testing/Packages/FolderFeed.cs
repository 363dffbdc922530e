namespace ObsBuildTasks.Testing.Packages;

/// <summary>A local folder of packages that a consumer's folder restores from.</summary>
public static class FolderFeed
{
    /// <summary>Writes the <c>nuget.config</c> of <paramref name="directory"/>: it adds <paramref name="feed"/> as the
    /// source <paramref name="key"/>, and the machine's default sources stay (no <c>clear</c>).</summary>
    public static void WriteNuGetConfig(string directory, string key, string feed) =>
        File.WriteAllText(Path.Combine(directory, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="{key}" value="{feed}" />
              </packageSources>
            </configuration>
            """);
}
