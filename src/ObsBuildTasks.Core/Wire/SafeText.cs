namespace ObsBuildTasks.Wire;

/// <summary>Text from a server or a user made safe to quote in a message.</summary>
internal static class SafeText
{
    /// <summary>Control characters shown as '?', at most 200 characters.</summary>
    public static string Printable(string? text) =>
        text is null ? "" : new string(text.Take(200).Select(c => char.IsControl(c) ? '?' : c).ToArray());
}
