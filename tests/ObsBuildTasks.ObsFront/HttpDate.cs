using System.Globalization;

namespace ObsBuildTasks.ObsFront;

/// <summary>Reads the RFC 1123 dates of <c>Date</c> and <c>x-obs-date</c>.</summary>
public static class HttpDate
{
    /// <summary>
    /// Parses <c>Thu, 15 Oct 2015 07:20:09 GMT</c> (or <c>+0000</c>). The day name is ignored: it only repeats the date,
    /// and .NET would refuse a date whose day name is wrong.
    /// </summary>
    public static bool TryParse(string? text, out DateTimeOffset value)
    {
        var comma = text?.IndexOf(',', StringComparison.Ordinal) ?? -1;
        return DateTimeOffset.TryParse(text?[(comma + 1)..], CultureInfo.InvariantCulture,
            DateTimeStyles.AllowWhiteSpaces | DateTimeStyles.AssumeUniversal, out value);
    }
}
