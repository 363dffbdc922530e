using System.Diagnostics;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace ObsBuildTasks.MSBuild;

/// <summary>Adds up the progress of every file of one task call and logs it at most every few seconds.</summary>
internal sealed class ProgressLog
{
    /// <summary>How often the engine reports each file's progress.</summary>
    public static readonly TimeSpan SampleInterval = TimeSpan.FromSeconds(1);

    private static readonly TimeSpan LogInterval = TimeSpan.FromSeconds(3);

    private readonly TaskLoggingHelper _log;
    private readonly Lock _lock = new();
    private readonly List<long> _transferred = [];
    private readonly Stopwatch _sinceLogged = Stopwatch.StartNew();
    private long _total;

    public ProgressLog(TaskLoggingHelper log) => _log = log;

    /// <summary>Counts the file at <paramref name="path"/> in the total and returns the callback for its progress.</summary>
    public Action<UploadProgress> Track(string path)
    {
        var file = new FileInfo(path);
        lock (_lock)
        {
            var index = _transferred.Count;
            _transferred.Add(0);
            _total += file.Exists ? file.Length : 0;
            return progress => Update(index, progress.TransferredBytes);
        }
    }

    private void Update(int index, long transferred)
    {
        lock (_lock)
        {
            _transferred[index] = transferred;
            if (_sinceLogged.Elapsed < LogInterval || _total == 0)
            {
                return;
            }

            _sinceLogged.Restart();
            var done = _transferred.Sum();
            _log.LogMessageFromResources(MessageImportance.Normal, nameof(Strings.Progress), ByteSize.Format(done), ByteSize.Format(_total),
                done * 100 / _total);
        }
    }
}
