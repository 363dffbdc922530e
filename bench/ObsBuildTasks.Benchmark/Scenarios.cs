using System.Globalization;

namespace ObsBuildTasks.Benchmark;

internal enum ScenarioKind
{
    /// <summary>One file.</summary>
    Single,

    /// <summary>A folder of many small files, in one call.</summary>
    Many,

    /// <summary>One file: killed at about half, then run again.</summary>
    Resume,
}

/// <summary>One scenario of issue 5.</summary>
/// <param name="Id">Short name for <c>--scenarios</c>.</param>
/// <param name="Kind">What is uploaded and how.</param>
/// <param name="FileSize">Size of the one file (Single, Resume); 0 for Many.</param>
/// <param name="FileCount">Number of files (Many).</param>
/// <param name="TaskNum">Requests in flight.</param>
/// <param name="Rounds">How many times each tool runs it.</param>
internal sealed record Scenario(string Id, ScenarioKind Kind, long FileSize, int FileCount, int TaskNum, int Rounds)
{
    public const long MiB = 1024 * 1024;
    public const long GiB = 1024 * MiB;

    public string Title => Kind switch
    {
        ScenarioKind.Single => $"{Size(FileSize)} file, TaskNum {TaskNum}",
        ScenarioKind.Many => $"{FileCount} files of 100 KiB..2 MiB in one call, TaskNum {TaskNum}",
        _ => $"resume: {Size(FileSize)} file, TaskNum {TaskNum}, killed at ~50 %, run again",
    };

    public static string Size(long bytes) =>
        bytes >= GiB && bytes % GiB == 0 ? $"{bytes / GiB} GiB" : $"{(double)bytes / MiB:0.#} MiB";

    /// <summary>The scenarios of issue 5; <paramref name="quick"/> shrinks the files (1 GiB → 256 MiB, 4 GiB → 512 MiB,
    /// 500 files → 100).</summary>
    public static IReadOnlyList<Scenario> Create(bool quick, int rounds, int bigRounds, int manyTaskNum, int resumeTaskNum)
    {
        var one = quick ? 256 * MiB : GiB;
        var big = quick ? 512 * MiB : 4 * GiB;
        var many = quick ? 100 : 500;
        return
        [
            new("single-t1", ScenarioKind.Single, one, 1, 1, rounds),
            new("single-t4", ScenarioKind.Single, one, 1, 4, rounds),
            new("single-t8", ScenarioKind.Single, one, 1, 8, rounds),
            new("big-t8", ScenarioKind.Single, big, 1, 8, bigRounds),
            new($"many-t{manyTaskNum}", ScenarioKind.Many, 0, many, manyTaskNum, rounds),
            new($"resume-t{resumeTaskNum}", ScenarioKind.Resume, one, 1, resumeTaskNum, rounds),
        ];
    }

    /// <summary>The files of this scenario under <paramref name="filesDirectory"/>, generated (once) with their MD5s.</summary>
    public (IReadOnlyList<string> Files, string? Directory) Prepare(string filesDirectory, Manifest manifest, long partSize)
    {
        if (Kind == ScenarioKind.Many)
        {
            var directory = Path.Combine(filesDirectory, $"many-{FileCount}");
            var random = new Random(FileCount); // the same sizes every time
            var files = new List<string>();
            for (var index = 0; index < FileCount; index++)
            {
                var size = random.NextInt64(100 * 1024, (2 * MiB) + 1);
                var path = Path.Combine(directory, $"m{FileCount}-{index.ToString("D4", CultureInfo.InvariantCulture)}.bin");
                TestFiles.Ensure(manifest, path, size, partSize);
                files.Add(path);
            }

            foreach (var stray in Directory.GetFiles(directory).Except(files))
            {
                File.Delete(stray);
            }

            return (files, directory);
        }

        var file = Path.Combine(filesDirectory, $"file-{FileSize / MiB}MiB.bin");
        TestFiles.Ensure(manifest, file, FileSize, partSize);
        return ([file], null);
    }
}
