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

        Assert.Contains("in use by another upload", exception.Message, StringComparison.Ordinal);
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
