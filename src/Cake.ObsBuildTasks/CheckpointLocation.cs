using Cake.Core;
using Cake.Core.IO;

namespace Cake.ObsBuildTasks;

/// <summary>Where checkpoints live; each upload's file in it is named by <c>UploadFileRequest.CheckpointFileIn</c>.</summary>
internal static class CheckpointLocation
{
    /// <summary>The default directory: <c>./obj/obs/</c> under the working directory.</summary>
    public static DirectoryPath Directory(ObsUploadFileSettings settings, ICakeEnvironment environment) =>
        (settings.CheckpointDirectory ?? "./obj/obs").MakeAbsolute(environment);
}
