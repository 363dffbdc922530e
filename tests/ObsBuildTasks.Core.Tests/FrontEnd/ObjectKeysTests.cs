using ObsBuildTasks.FrontEnd;

namespace ObsBuildTasks.Tests.FrontEnd;

public sealed class ObjectKeysTests
{
    private const string Root = "/work/project";

    [Fact]
    public void Key_is_prefix_then_relative_directory_then_file_name_with_forward_slashes() =>
        Assert.Equal(["app/1.0/sub/dir/a.zip"], Keys(Settings("app/1.0/"), new UploadFileSpec($"{Root}/dist/sub/dir/a.zip", RelativeDirectory: "sub\\dir\\")));

    [Fact]
    public void Explicit_key_is_taken_as_written() =>
        Assert.Equal(["exact/../key"], Keys(Settings("ignored/"), new UploadFileSpec($"{Root}/a.zip", ObjectKey: "exact/../key")));

    [Fact]
    public void Base_directory_keeps_the_folders_below_it()
    {
        var settings = Settings("p/", baseDirectory: "artifacts");

        Assert.Equal(["p/a.zip", "p/x/y/b.zip"], Keys(settings, new UploadFileSpec($"{Root}/artifacts/a.zip"), new UploadFileSpec($"{Root}/artifacts/x/y/b.zip")));
    }

    [Fact]
    public void File_outside_the_base_directory_is_a_coded_problem()
    {
        var problems = new List<Diagnostic>();

        ObjectKeys.For([new UploadFileSpec($"{Root}/elsewhere/a.zip")], Settings(null, baseDirectory: "artifacts"), Root, problems);

        Assert.Equal(DiagnosticCode.OutsideBaseDirectory, Assert.Single(problems).Code);
    }

    [Fact]
    public void Two_files_with_one_key_are_a_coded_problem_naming_both()
    {
        var problems = new List<Diagnostic>();

        ObjectKeys.For([new UploadFileSpec($"{Root}/a/app.zip"), new UploadFileSpec($"{Root}/b/app.zip")], Settings("p/"), Root, problems);

        var problem = Assert.Single(problems);
        Assert.Equal(DiagnosticCode.DuplicateObjectKey, problem.Code);
        Assert.Contains($"'{Root}/a/app.zip' and '{Root}/b/app.zip'", problem.Message, StringComparison.Ordinal);
    }

    private static IReadOnlyList<string> Keys(UploadSettings settings, params UploadFileSpec[] files)
    {
        var problems = new List<Diagnostic>();
        var keys = ObjectKeys.For(files, settings, Root, problems);
        Assert.Empty(problems);
        return keys;
    }

    private static UploadSettings Settings(string? prefix, string? baseDirectory = null) =>
        new() { Bucket = "bucket", ObjectKeyPrefix = prefix, BaseDirectory = baseDirectory };
}
