namespace ObsBuildTasks.Transfer;

/// <summary>The content type of common build artifacts, by file extension.</summary>
internal static class ContentTypes
{
    private const string Default = "application/octet-stream";

    private static readonly Dictionary<string, string> ByExtension = new(StringComparer.OrdinalIgnoreCase)
    {
        [".zip"] = "application/zip",
        [".nupkg"] = "application/octet-stream",
        [".snupkg"] = "application/octet-stream",
        [".gz"] = "application/gzip",
        [".tgz"] = "application/gzip",
        [".tar"] = "application/x-tar",
        [".7z"] = "application/x-7z-compressed",
        [".msi"] = "application/x-msi",
        [".exe"] = "application/vnd.microsoft.portable-executable",
        [".dll"] = "application/vnd.microsoft.portable-executable",
        [".deb"] = "application/vnd.debian.binary-package",
        [".rpm"] = "application/x-rpm",
        [".dmg"] = "application/x-apple-diskimage",
        [".iso"] = "application/x-iso9660-image",
        [".json"] = "application/json",
        [".xml"] = "application/xml",
        [".txt"] = "text/plain",
        [".md"] = "text/markdown",
        [".html"] = "text/html",
        [".pdf"] = "application/pdf",
        [".sha256"] = "text/plain",
    };

    public static string FromFileName(string path) =>
        ByExtension.TryGetValue(Path.GetExtension(path), out var type) ? type : Default;
}
