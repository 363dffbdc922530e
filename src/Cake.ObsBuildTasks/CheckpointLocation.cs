using System.Security.Cryptography;
using System.Text;
using Cake.Core;
using Cake.Core.IO;

namespace Cake.ObsBuildTasks;

/// <summary>Where the checkpoint of one upload lives: a name derived from the file, endpoint, bucket and key, so
/// every distinct upload has its own and a rerun of the same one finds it again.</summary>
internal static class CheckpointLocation
{
    /// <summary>The default directory: <c>./obj/obs/</c> under the working directory.</summary>
    public static DirectoryPath Directory(ObsUploadFileSettings settings, ICakeEnvironment environment) =>
        (settings.CheckpointDirectory ?? "./obj/obs").MakeAbsolute(environment);

    /// <summary>The checkpoint file in <paramref name="directory"/> for this upload.</summary>
    public static string For(DirectoryPath directory, FilePath file, string endpoint, string bucket, string key)
    {
        var identity = string.Join('\n', file.FullPath, endpoint.Trim().TrimEnd('/'), bucket, key);
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(identity)));
        return directory.CombineWithFilePath($"{hash[..32]}.json").FullPath;
    }
}
