using System.Text;
using ObsBuildTasks.Testing.Store;
using ObsBuildTasks.Transfer;

namespace ObsBuildTasks.Tests.Transfer;

public sealed class CheckpointFileTests : IDisposable
{
    private readonly TestFiles _files = new();

    private string CheckpointPath => Path.Combine(_files.Root, "nested", "upload.json");

    [Fact]
    public void Written_checkpoint_reads_back_equal()
    {
        using var checkpoint = CheckpointFile.Acquire(CheckpointPath);
        var document = Sample();

        checkpoint.Save(() => document, force: true);

        var found = Assert.IsType<CheckpointReadResult.Found>(checkpoint.Read());
        Assert.Equivalent(document, found.Document);
    }

    [Fact]
    public void Missing_file_reads_as_missing()
    {
        using var checkpoint = CheckpointFile.Acquire(CheckpointPath);

        Assert.IsType<CheckpointReadResult.Missing>(checkpoint.Read());
    }

    [Fact]
    public void Cut_short_file_is_unusable_but_yields_its_upload_id()
    {
        using var checkpoint = CheckpointFile.Acquire(CheckpointPath);
        checkpoint.Save(() => Sample(), force: true);
        var text = File.ReadAllText(CheckpointPath);
        File.WriteAllText(CheckpointPath, text[..(text.IndexOf("\"parts\"", StringComparison.Ordinal) + 12)]);

        var unusable = Assert.IsType<CheckpointReadResult.Unusable>(checkpoint.Read());

        Assert.Equal("upload-1", unusable.SalvagedUploadId);
    }

    [Fact]
    public void Garbage_file_is_unusable_without_an_upload_id()
    {
        using var checkpoint = CheckpointFile.Acquire(CheckpointPath);
        File.WriteAllText(CheckpointPath, "{{{ not json");

        var unusable = Assert.IsType<CheckpointReadResult.Unusable>(checkpoint.Read());

        Assert.Null(unusable.SalvagedUploadId);
    }

    [Fact]
    public void File_of_another_format_version_is_unusable()
    {
        using var checkpoint = CheckpointFile.Acquire(CheckpointPath);
        checkpoint.Save(() => Sample() with { Version = 99 }, force: true);

        var unusable = Assert.IsType<CheckpointReadResult.Unusable>(checkpoint.Read());

        Assert.Contains("version 99", unusable.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Second_holder_of_the_same_checkpoint_is_refused()
    {
        using var first = CheckpointFile.Acquire(CheckpointPath);

        var exception = Assert.Throws<ObsException>(() => CheckpointFile.Acquire(CheckpointPath));

        Assert.Equal(ObsErrorKind.CheckpointInUse, exception.Kind);
        Assert.Contains("in use by another upload", exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("lock is a folder")]
    [InlineData("lock is a link into a missing folder")]
    [InlineData("checkpoint folder is a file")]
    public void Lock_that_cannot_be_created_is_a_local_file_problem_not_another_upload(string cause)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(CheckpointPath)!);
        var path = CheckpointPath;
        switch (cause)
        {
            case "lock is a folder":
                Directory.CreateDirectory(path + ".lock");
                break;
            case "lock is a link into a missing folder":
                File.CreateSymbolicLink(path + ".lock", Path.Combine(_files.Root, "missing", "upload.json.lock"));
                break;
            default:
                path = Path.Combine(_files.Create("plain", 1), "upload.json");
                break;
        }

        var exception = Assert.Throws<ObsException>(() => CheckpointFile.Acquire(path));

        Assert.Equal(ObsErrorKind.LocalFile, exception.Kind);
        Assert.StartsWith($"The checkpoint '{path}' cannot be used: its lock file '{path}.lock' could not be created: ", exception.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("in use", exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(250, 'a')]
    [InlineData(300, 'a')]
    [InlineData(100, '\u20ac')]
    public void Checkpoint_whose_name_is_at_or_over_the_file_name_limit_is_locked_written_and_read(int length, char character)
    {
        var folder = Path.Combine(_files.Root, "long");
        var path = Path.Combine(folder, new string(character, length) + ".json");
        using var checkpoint = CheckpointFile.Acquire(path);

        checkpoint.Save(() => Sample(), force: true);

        Assert.IsType<CheckpointReadResult.Found>(checkpoint.Read());
        Assert.Equal(ObsErrorKind.CheckpointInUse, Assert.Throws<ObsException>(() => CheckpointFile.Acquire(path)).Kind);
        var names = Directory.GetFiles(folder).Select(Path.GetFileName).ToList();
        Assert.Equal(2, names.Count);
        Assert.Single(names, name => name!.EndsWith(".json", StringComparison.Ordinal));
        Assert.All(names, name => Assert.InRange(Encoding.UTF8.GetByteCount(name!), 1, SidecarName.MaxNameBytes));
    }

    [Fact]
    public void Long_names_that_differ_only_at_their_end_keep_apart()
    {
        var stem = Path.Combine(_files.Root, new string('a', 300));

        Assert.NotEqual(SidecarName.For(stem + "1", ".lock"), SidecarName.For(stem + "2", ".lock"));
        Assert.Equal(SidecarName.For(stem + "1", ".lock"), SidecarName.For(stem + "1", ".lock"));
        var fits = Path.Combine(_files.Root, new string('a', 250));
        Assert.Equal(fits + ".lock", SidecarName.For(fits, ".lock"));
    }

    [Fact]
    public void Lock_is_released_on_dispose()
    {
        CheckpointFile.Acquire(CheckpointPath).Dispose();

        Assert.False(File.Exists(CheckpointPath + ".lock"));
        CheckpointFile.Acquire(CheckpointPath).Dispose();
    }

    [Fact]
    public void Unforced_save_within_a_second_of_the_last_is_skipped()
    {
        using var checkpoint = CheckpointFile.Acquire(CheckpointPath);
        checkpoint.Save(() => Sample(), force: true);

        checkpoint.Save(() => Sample() with { UploadId = "upload-2" }, force: false);

        Assert.Equal("upload-1", Assert.IsType<CheckpointReadResult.Found>(checkpoint.Read()).Document.UploadId);
    }

    [Fact]
    public void Unforced_save_within_a_second_does_not_build_the_document()
    {
        using var checkpoint = CheckpointFile.Acquire(CheckpointPath);
        checkpoint.Save(Sample, force: true);
        var built = false;

        checkpoint.Save(() => { built = true; return Sample(); }, force: false);

        Assert.False(built);
    }

    [Fact]
    public void Save_leaves_no_temporary_file_behind()
    {
        using var checkpoint = CheckpointFile.Acquire(CheckpointPath);

        checkpoint.Save(() => Sample(), force: true);

        Assert.Equal(["upload.json", "upload.json.lock"], Directory.GetFiles(Path.GetDirectoryName(CheckpointPath)!).Select(Path.GetFileName).Order());
    }

    [Fact]
    public void Write_that_fails_on_a_full_disk_leaves_the_last_checkpoint_and_no_temporary_file()
    {
        Assert.True(File.Exists("/dev/full"), "the test needs /dev/full, whose every write fails with ENOSPC");
        using var checkpoint = CheckpointFile.Acquire(CheckpointPath);
        checkpoint.Save(() => Sample(), force: true);
        // The temporary file this process writes is made to land on /dev/full: a disk that is full.
        var temporary = $"{CheckpointPath}.{Environment.ProcessId}.tmp";
        File.CreateSymbolicLink(temporary, "/dev/full");

        Assert.ThrowsAny<IOException>(() => checkpoint.Save(() => Sample() with { UploadId = "upload-2" }, force: true));

        Assert.False(Path.Exists(temporary));
        Assert.Equal("upload-1", Assert.IsType<CheckpointReadResult.Found>(checkpoint.Read()).Document.UploadId);
    }

    public void Dispose() => _files.Dispose();

    private static CheckpointDocument Sample() => new()
    {
        Version = CheckpointDocument.CurrentVersion,
        Endpoint = "http://127.0.0.1:18080/",
        Bucket = "bucket",
        Key = "dir/file name+1.zip",
        UploadId = "upload-1",
        PartSize = 102400,
        FileSize = 1_000_000,
        RequestFingerprint = "abc",
        Parts = [new CheckpointPart(1, "0123456789abcdef0123456789abcdef"), new CheckpointPart(2, "fedcba9876543210fedcba9876543210")],
    };
}
