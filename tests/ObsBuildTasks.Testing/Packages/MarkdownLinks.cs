using System.Text.RegularExpressions;

namespace ObsBuildTasks.Testing.Packages;

/// <summary>The link targets of a Markdown text outside fenced code: inline links and images, <c>[text](target)</c>,
/// and reference definitions, <c>[label]: target</c>.</summary>
public static partial class MarkdownLinks
{
    /// <summary>The text with every link target replaced by <c>&lt;target&gt;</c>, and the targets in order.</summary>
    public static (string Text, IReadOnlyList<string> Targets) Split(string markdown)
    {
        var targets = new List<string>();
        var inFence = false;
        var lines = new List<string>();
        foreach (var line in markdown.Split('\n'))
        {
            if (Fence().IsMatch(line))
            {
                inFence = !inFence;
                lines.Add(line);
            }
            else
            {
                lines.Add(inFence ? line : Target().Replace(line, target =>
                {
                    targets.Add(target.Value);
                    return "<target>";
                }));
            }
        }

        return (string.Join('\n', lines), targets);
    }

    [GeneratedRegex("^ {0,3}(```|~~~)")]
    private static partial Regex Fence();

    [GeneratedRegex(@"(?<=\]\(\s*<?)[^\s)>]+|(?<=^ {0,3}\[[^\]]+\]:\s*<?)[^\s>]+")]
    private static partial Regex Target();
}
