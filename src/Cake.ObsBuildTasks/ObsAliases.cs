using Cake.Core;
using Cake.Core.Annotations;
using Cake.Core.IO;
using ObsBuildTasks;

namespace Cake.ObsBuildTasks;

/// <summary>
/// Uploads build artifacts to Huawei Cloud OBS or any S3-compatible object store: in parts, concurrently, and resumable
/// after a failed or killed build. Endpoint and credentials default to the environment variables <c>OBS_ENDPOINT</c>,
/// <c>OBS_ACCESS_KEY_ID</c>, <c>OBS_SECRET_ACCESS_KEY</c> and <c>OBS_SECURITY_TOKEN</c>.
/// </summary>
/// <example>
/// <code>
/// #addin nuget:?package=Cake.ObsBuildTasks&amp;version=1.0.0
///
/// Task("Publish").Does(() =>
/// {
///     var results = ObsUploadFile("releases", GetFiles("./artifacts/*.nupkg"), new ObsUploadFileSettings { TaskNum = 5 });
///     foreach (var result in results)
///     {
///         Information("{0} ({1})", result.Location, result.ETag);
///     }
/// });
/// </code>
/// </example>
[CakeAliasCategory("OBS")]
[CakeNamespaceImport("Cake.ObsBuildTasks")]
[CakeNamespaceImport("ObsBuildTasks")]
public static class ObsAliases
{
    /// <summary>
    /// Uploads one file to <paramref name="bucket"/> as <see cref="ObsUploadFileSettings.ObjectKeyPrefix"/> followed by
    /// the file name (or its path relative to <see cref="ObsUploadFileSettings.BaseDirectory"/>).
    /// </summary>
    /// <param name="context">The Cake context.</param>
    /// <param name="bucket">The bucket.</param>
    /// <param name="file">The file; relative paths are resolved against the working directory.</param>
    /// <param name="settings">How to connect and upload; <see langword="null"/> for the defaults.</param>
    /// <returns>The uploaded object and what the transfer did.</returns>
    /// <exception cref="CakeException">The settings are invalid (every problem is listed, each with its <c>OBSnnnn</c>
    /// code), or the upload failed; the message carries the code, the service's error code and request id. With
    /// checkpoints on, running the build again resumes.</exception>
    /// <example>
    /// <code>
    /// var result = ObsUploadFile("releases", "./artifacts/app.zip", new ObsUploadFileSettings
    /// {
    ///     ObjectKeyPrefix = $"app/{version}/",
    /// });
    /// Information("Uploaded {0}, ETag {1}", result.Location, result.ETag);
    /// </code>
    /// </example>
    [CakeMethodAlias]
    public static CompleteMultipartUploadResult ObsUploadFile(this ICakeContext context, string bucket, FilePath file, ObsUploadFileSettings? settings = null) =>
        CakeUpload.Run(context, bucket, [file], settings)[0];

    /// <summary>
    /// Uploads several files to <paramref name="bucket"/> with at most <see cref="ObsUploadFileSettings.TaskNum"/>
    /// requests in flight across all of them. Every file is attempted before a failure is reported.
    /// </summary>
    /// <param name="context">The Cake context.</param>
    /// <param name="bucket">The bucket.</param>
    /// <param name="files">The files, e.g. from <c>GetFiles</c>; relative paths are resolved against the working directory.</param>
    /// <param name="settings">How to connect and upload; <see langword="null"/> for the defaults.</param>
    /// <returns>One result per distinct file, in order; empty (with warning OBS0045) when there are no files.</returns>
    /// <exception cref="CakeException">The settings are invalid or two files would get the same key (every problem is
    /// listed, each with its <c>OBSnnnn</c> code), or an upload failed; the message names each failed file with the
    /// code and the service's details. With checkpoints on, running the build again resumes.</exception>
    /// <example>
    /// <code>
    /// var results = ObsUploadFile("releases", GetFiles("./artifacts/**/*"), new ObsUploadFileSettings
    /// {
    ///     ObjectKeyPrefix = $"builds/{buildNumber}/",
    ///     BaseDirectory = "./artifacts",
    ///     TaskNum = 8,
    ///     SkipUnchanged = true,
    /// });
    /// </code>
    /// </example>
    [CakeMethodAlias]
    public static IReadOnlyList<CompleteMultipartUploadResult> ObsUploadFile(this ICakeContext context, string bucket, IEnumerable<FilePath> files,
        ObsUploadFileSettings? settings = null) =>
        CakeUpload.Run(context, bucket, files, settings);
}
