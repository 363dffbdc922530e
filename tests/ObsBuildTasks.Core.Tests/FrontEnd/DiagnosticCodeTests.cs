using System.Text.RegularExpressions;
using ObsBuildTasks.FrontEnd;
using ObsBuildTasks.Testing.Store;

namespace ObsBuildTasks.Tests.FrontEnd;

public sealed partial class DiagnosticCodeTests
{
    [Fact]
    public void Every_code_is_unique() => Assert.Equal(DiagnosticCode.All.Count, DiagnosticCode.All.Select(code => code.Id).Distinct().Count());

    [Fact]
    public void Every_code_has_its_section_in_docs_errors_md_and_every_section_is_a_code()
    {
        var sections = Heading().Matches(File.ReadAllText(Path.Combine(LocalObjectStore.RepositoryRoot(), "docs", "errors.md")))
            .Select(match => match.Groups[1].Value).ToList();

        // OBS0017 and OBS0050 are raised by the package's targets: both upload hooks set, and MSBuild that cannot load
        // the task.
        Assert.Equal(DiagnosticCode.All.Select(code => code.Id).Append("OBS0017").Append("OBS0050").Order(), sections.Order());
    }

    [Fact]
    public void Help_link_is_absolute_and_points_at_the_code_section() =>
        Assert.Matches(@"^https://\S+/docs/errors\.md#obs0028$", DiagnosticCode.FileChanged.HelpLink);

    [GeneratedRegex(@"^## (OBS\d{4})$", RegexOptions.Multiline)]
    private static partial Regex Heading();
}
