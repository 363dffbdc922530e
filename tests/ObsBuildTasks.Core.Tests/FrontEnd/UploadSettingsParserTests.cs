using ObsBuildTasks.FrontEnd;

namespace ObsBuildTasks.Tests.FrontEnd;

public sealed class UploadSettingsParserTests
{
    [Theory]
    [InlineData(null, SignatureType.Auto)]
    [InlineData(" ", SignatureType.Auto)]
    [InlineData("auto", SignatureType.Auto)]
    [InlineData("OBS", SignatureType.Obs)]
    [InlineData("v4", SignatureType.V4)]
    [InlineData("V2", SignatureType.V2)]
    public void Signature_names_are_read_in_any_case(string? text, SignatureType expected)
    {
        var problems = new List<Diagnostic>();

        Assert.Equal(expected, UploadSettingsParser.Signature(Settings() with { Signature = text }, problems));
        Assert.Empty(problems);
    }

    [Theory]
    [InlineData("V3")]
    [InlineData("2")]
    public void Unknown_signature_is_a_coded_problem(string text)
    {
        var problems = new List<Diagnostic>();

        UploadSettingsParser.Signature(Settings() with { Signature = text }, problems);

        Assert.Equal(DiagnosticCode.InvalidSignature, Assert.Single(problems).Code);
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData("Auto", null)]
    [InlineData("true", true)]
    [InlineData("False", false)]
    public void Path_style_is_auto_true_or_false(string? text, bool? expected)
    {
        var problems = new List<Diagnostic>();

        Assert.Equal(expected, UploadSettingsParser.PathStyle(Settings() with { PathStyle = text }, problems));
        Assert.Empty(problems);
    }

    [Fact]
    public void Metadata_text_adds_trimmed_pairs_and_reports_each_malformed_entry()
    {
        var problems = new List<Diagnostic>();
        var settings = Settings() with { MetadataText = " build = 42 ;; url=a=b ; oops ; =x", Metadata = new Dictionary<string, string> { ["kept"] = "1" } };

        var metadata = UploadSettingsParser.Metadata(settings, problems);

        Assert.Equal(new Dictionary<string, string> { ["kept"] = "1", ["build"] = "42", ["url"] = "a=b" }, metadata);
        Assert.Equal([DiagnosticCode.InvalidMetadata, DiagnosticCode.InvalidMetadata], problems.Select(problem => problem.Code));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3601)]
    [InlineData(double.NaN)]
    public void Idle_timeout_out_of_range_is_a_coded_problem(double seconds)
    {
        var problems = new List<Diagnostic>();

        UploadSettingsParser.IdleTimeout(Settings() with { IdleTimeoutSeconds = seconds }, problems);

        Assert.Equal(DiagnosticCode.InvalidOption, Assert.Single(problems).Code);
    }

    [Theory]
    [InlineData("k=v;k=w", null)]
    [InlineData("Commit=a;commit=b", null)]
    [InlineData("commit=b", "Commit")]
    [InlineData(null, "Commit,commit")]
    public void Metadata_name_given_twice_in_any_case_is_a_coded_problem(string? text, string? names)
    {
        var problems = new List<Diagnostic>();
        var settings = Settings() with
        {
            MetadataText = text,
            Metadata = (names ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries).ToDictionary(name => name, name => "a"),
        };

        UploadSettingsParser.Metadata(settings, problems);

        Assert.Contains("more than once", Assert.Single(problems, problem => problem.Code == DiagnosticCode.InvalidMetadata).Message, StringComparison.Ordinal);
    }

    private static UploadSettings Settings() => new() { Bucket = "bucket" };
}
