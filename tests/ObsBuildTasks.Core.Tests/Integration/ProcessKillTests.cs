using System.Diagnostics;
using System.Globalization;
using System.Text;
using ObsBuildTasks.Testing.Faults;
using ObsBuildTasks.Testing.Store;

namespace ObsBuildTasks.Tests.Integration;

/// <summary>A process killed in the middle of an upload leaves a checkpoint that the next run resumes from.</summary>
public sealed class ProcessKillTests : IDisposable
{
    private const long PartSize = UploadFileRequest.MinPartSize;
    private const long FileSize = 40L * 1024 * 1024;
    private const int TaskNum = 4;
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);
    private readonly TestFiles _files = new();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Upload_of_a_killed_process_resumes_in_another(bool throughObsFront)
    {
        await using var store = throughObsFront ? await ProxiedStore.StartThroughObsFrontAsync() : await ProxiedStore.StartAsync();
        // Slows every part down a little so that even a fast store keeps the runner busy until it is killed half way.
        store.Proxy.AddRule(FaultRule.DelayResponse(TimeSpan.FromMilliseconds(10)).ForMethod("PUT").WithQueryParameter("partNumber"));
        var path = _files.Create("killed.bin", FileSize, seed: 40);
        var checkpointDirectory = Path.Combine(_files.Root, "checkpoints");
        var keyPrefix = LocalObjectStore.UniqueKey("");

        var transferredAtKill = await RunAndKillHalfWayAsync(store, keyPrefix, checkpointDirectory, path);

        var key = keyPrefix + "killed.bin";
        var checkpoint = Path.Combine(checkpointDirectory, "killed.bin.json");
        Assert.True(File.Exists(checkpoint), "the killed process left no checkpoint");
        Assert.Null(await store.Store.Reader.HashObjectAsync(store.Bucket, key));
        store.Proxy.ClearRules();
        var request = new UploadFileRequest(store.Bucket, key, path)
        {
            PartSize = PartSize,
            TaskNum = 2 * TaskNum,
            EnableCheckpoint = true,
            CheckpointFile = checkpoint,
        };

        var result = await store.Client().UploadFileAsync(request);

        Assert.True(result.Resumed);
        var partCount = (int)((FileSize + PartSize - 1) / PartSize);
        Assert.Equal(partCount, result.PartsReused + result.PartsUploaded);
        Assert.True(result.PartsReused >= transferredAtKill / PartSize - TaskNum,
            $"{result.PartsReused} parts kept, {transferredAtKill} bytes were sent when the process was killed");
        await store.AssertStoredEqualsFileAsync(key, path);
        Assert.Equal(ProxiedStore.MultipartETag(path, PartSize), result.ETag);
        Assert.False(File.Exists(checkpoint));
    }

    public void Dispose() => _files.Dispose();

    /// <summary>Starts the runner, reads its progress until half the file is sent, and kills it; returns the bytes it
    /// had reported.</summary>
    private static async Task<long> RunAndKillHalfWayAsync(ProxiedStore store, string keyPrefix, string checkpointDirectory, string path)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
        {
            RunnerBuild.Assembly, "--endpoint", store.Proxy.Endpoint.ToString(), "--bucket", store.Bucket, "--key-prefix", keyPrefix,
            "--part-size", PartSize.ToString(CultureInfo.InvariantCulture), "--task-num", TaskNum.ToString(CultureInfo.InvariantCulture),
            "--checkpoint-dir", checkpointDirectory, path,
        })
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["OBS_ACCESS_KEY_ID"] = store.AccessKeyId;
        start.Environment["OBS_SECRET_ACCESS_KEY"] = store.SecretAccessKey;
        using var process = Process.Start(start)!;
        var errors = process.StandardError.ReadToEndAsync();
        var output = new StringBuilder();
        try
        {
            using var limit = new CancellationTokenSource(Limit);
            while (await process.StandardOutput.ReadLineAsync(limit.Token) is { } line)
            {
                output.AppendLine(line);
                var fields = line.Split(' ');
                if (fields is ["progress", var sent, var total]
                    && long.Parse(sent, CultureInfo.InvariantCulture) is var transferred
                    && transferred * 2 >= long.Parse(total, CultureInfo.InvariantCulture))
                {
                    process.Kill(entireProcessTree: true);
                    await process.WaitForExitAsync(limit.Token);
                    Assert.True(transferred < FileSize, "the runner had finished before it could be killed");
                    return transferred;
                }
            }
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }

        await process.WaitForExitAsync();
        Assert.Fail($"The runner ended (exit code {process.ExitCode}) before it was half way:\n{output}\n{await errors}");
        return 0;
    }

}
