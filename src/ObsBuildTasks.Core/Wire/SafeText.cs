namespace ObsBuildTasks.Wire;

/// <summary>Text from a server or a user made safe to quote in a message.</summary>
internal static class SafeText
{
    /// <summary>Control characters shown as '?', at most 200 characters.</summary>
    public static string Printable(string? text) =>
        text is null ? "" : new string(text.Take(200).Select(c => char.IsControl(c) ? '?' : c).ToArray());

    /// <summary>A URL as a user gave it (an endpoint, a proxy), made <see cref="Printable"/> with whatever precedes its
    /// last <c>@</c> after the scheme (the user name and password) shown as <c>***</c>, even when it is not a valid
    /// URL.</summary>
    public static string Url(string? text)
    {
        if (text is null)
        {
            return "";
        }

        var start = text.IndexOf("://", StringComparison.Ordinal) is var scheme and >= 0 ? scheme + 3 : 0;
        var at = text.LastIndexOf('@');
        return Printable(at < start ? text : string.Concat(text.AsSpan(0, start), "***", text.AsSpan(at)));
    }
}
