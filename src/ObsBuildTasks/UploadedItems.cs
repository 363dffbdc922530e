using System.Globalization;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace ObsBuildTasks.MSBuild;

/// <summary>Builds the <see cref="ObsUploadFile.UploadedFiles"/> items.</summary>
internal static class UploadedItems
{
    /// <summary>A copy of <paramref name="input"/> (metadata kept) that also says where the file went and how.</summary>
    public static ITaskItem Create(ITaskItem input, CompleteMultipartUploadResult result)
    {
        var item = new TaskItem(input);
        // Literal values: keys and URLs may hold '%', ';' and other characters MSBuild would otherwise unescape.
        Set(item, "Bucket", result.BucketName);
        Set(item, "ObjectKey", result.ObjectKey);
        Set(item, "ETag", result.ETag);
        Set(item, "VersionId", result.VersionId);
        Set(item, "Url", result.Location.AbsoluteUri);
        Set(item, "RequestId", result.RequestId);
        Set(item, "Size", result.Size.ToString(CultureInfo.InvariantCulture));
        Set(item, "PartCount", result.PartCount.ToString(CultureInfo.InvariantCulture));
        Set(item, "PartsReused", result.PartsReused.ToString(CultureInfo.InvariantCulture));
        Set(item, "BytesSent", result.BytesSent.ToString(CultureInfo.InvariantCulture));
        Set(item, "Resumed", result.Resumed ? "true" : "false");
        Set(item, "Skipped", result.Skipped ? "true" : "false");
        return item;
    }

    private static void Set(ITaskItem2 item, string name, string? value) => item.SetMetadataValueLiteral(name, value ?? "");
}
