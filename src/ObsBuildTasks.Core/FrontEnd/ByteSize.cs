using System.Globalization;

namespace ObsBuildTasks.FrontEnd;

/// <summary>Sizes for people: <c>812 B</c>, <c>1.5 KiB</c>, <c>64.0 MiB</c>.</summary>
internal static class ByteSize
{
    private static readonly string[] Units = ["B", "KiB", "MiB", "GiB", "TiB"];

    /// <summary>A rate in bytes per second, e.g. <c>85.2 MiB/s</c>.</summary>
    public static string Rate(double bytesPerSecond) => Format((long)bytesPerSecond) + "/s";

    public static string Format(long bytes)
    {
        double value = bytes;
        var unit = 0;
        while (value >= 1024 && unit < Units.Length - 1)
        {
            value /= 1024;
            unit++;
        }

        return unit == 0
            ? string.Create(CultureInfo.InvariantCulture, $"{bytes} B")
            : string.Create(CultureInfo.InvariantCulture, $"{value:0.0} {Units[unit]}");
    }
}
