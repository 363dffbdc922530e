using System.Security.Cryptography;
using System.Text;

namespace ObsBuildTasks.MSBuild;

/// <summary>Names the checkpoint of one upload inside the checkpoint folder.</summary>
internal static class CheckpointFiles
{
    /// <summary>A file named by a hash of endpoint, bucket, key and file name, so every destination of every file has
    /// its own checkpoint. The file's folder is left out on purpose: a CI retry in another workspace path still resumes
    /// (the engine checks the file's size and content against the recorded parts either way).</summary>
    public static string PathFor(string directory, string endpoint, string bucket, string key, string filePath)
    {
        var identity = string.Join('\n', endpoint, bucket, key, Path.GetFileName(filePath));
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(identity)).AsSpan(0, 16));
        return Path.Combine(directory, hash + ".json");
    }
}
