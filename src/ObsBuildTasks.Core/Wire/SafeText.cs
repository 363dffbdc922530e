namespace ObsBuildTasks.Wire;

/// <summary>Text from a server or a user made safe to quote in a message.</summary>
internal static class SafeText
{
    /// <summary>Control characters shown as '?', at most 200 characters.</summary>
    public static string Printable(string? text) =>
        text is null ? "" : new string(text.Take(200).Select(c => char.IsControl(c) ? '?' : c).ToArray());

    /// <summary>A URL as a user or a server gave it (an endpoint, a proxy, a redirect target), made
    /// <see cref="Printable"/> with whatever lies between its first <c>//</c> and its last <c>@</c> (the user name and
    /// password) shown as <c>***</c>, or everything before that <c>@</c> when no <c>//</c> precedes it: also when it is
    /// not a valid URL (a space in the host, a port out of range, no scheme).</summary>
    public static string Url(string? text)
    {
        if (text is null)
        {
            return "";
        }

        var at = text.LastIndexOf('@');
        if (at < 0)
        {
            return Printable(text);
        }

        var slashes = text.IndexOf("//", StringComparison.Ordinal);
        var start = slashes >= 0 && slashes < at ? slashes + 2 : 0;
        return Printable(string.Concat(text.AsSpan(0, start), "***", text.AsSpan(at)));
    }
}
