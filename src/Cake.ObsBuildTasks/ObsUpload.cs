using System.Diagnostics;
using Cake.Core;
using Cake.Core.IO;
using ObsBuildTasks;

namespace Cake.ObsBuildTasks;

/// <summary>One alias call: resolves paths, keys, checkpoints and credentials, runs the engine, and turns its
/// outcomes into results or a <see cref="CakeException"/>.</summary>
internal static class ObsUpload
{
    public static IReadOnlyList<ObsUploadResult> Run(ICakeContext context, string bucket, IEnumerable<FilePath> files, ObsUploadFileSettings? settings)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(files);
        settings ??= new ObsUploadFileSettings();
        var log = new UploadLog(context.Log);
        var paths = files.Select(file => file.MakeAbsolute(context.Environment)).Distinct().ToList();
        if (paths.Count == 0)
        {
            log.NothingToUpload(bucket);
            return [];
        }

        var options = ObsConnection.Resolve(context.Environment, settings, log.Engine);
        var keys = ObjectKeys.For(paths, settings, context.Environment);
        var checkpoints = CheckpointLocation.Directory(settings, context.Environment).FullPath;
        var requests = paths.Select((file, index) => CreateRequest(bucket, keys[index], file, settings, log, checkpoints, options.Endpoint)).ToList();

        var clock = Stopwatch.StartNew();
        var outcomes = Send(options, requests, settings.TaskNum);
        UploadFailure.ThrowIfAny(bucket, outcomes);
        var results = outcomes.Select((outcome, index) => ObsUploadResult.From(paths[index], outcome.Result!)).ToList();
        log.Summary(bucket, results, clock.Elapsed);
        return results;
    }

    private static IReadOnlyList<UploadFileOutcome> Send(ObsClientOptions options, IReadOnlyList<UploadFileRequest> requests, int taskNum)
    {
        try
        {
            using var client = new ObsClient(options);
            // Cake aliases are synchronous and scripts run without a synchronization context, so blocking is safe here.
            return client.UploadFilesAsync(requests, taskNum).GetAwaiter().GetResult();
        }
        catch (ObsValidationException exception)
        {
            throw new CakeException($"Cannot upload to OBS: {exception.Reason}", exception);
        }
    }

    private static UploadFileRequest CreateRequest(string bucket, string key, FilePath file, ObsUploadFileSettings settings, UploadLog log,
        string checkpointDirectory, string endpoint)
    {
        var fileName = file.GetFilename().FullPath;
        var request = new UploadFileRequest(bucket, key, file.FullPath)
        {
            PartSize = settings.PartSize,
            TaskNum = settings.TaskNum,
            EnableCheckpoint = settings.EnableCheckpoint,
            CheckSum = settings.CheckSum,
            SkipUnchanged = settings.SkipUnchanged,
            ProgressInterval = settings.ProgressInterval,
            ProgressCallback = progress => log.Progress(fileName, progress),
            Headers =
            {
                ContentType = settings.ContentType,
                Acl = settings.Acl,
                StorageClass = settings.StorageClass,
            },
        };
        request.CheckpointFile = request.CheckpointFileIn(checkpointDirectory, endpoint);
        foreach (var (name, value) in settings.Metadata)
        {
            request.Metadata[name] = value;
        }

        return request;
    }
}
