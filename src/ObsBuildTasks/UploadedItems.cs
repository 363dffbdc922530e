using System.Globalization;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace ObsBuildTasks.MSBuild;

/// <summary>Builds the <see cref="ObsUploadFile.UploadedFiles"/> items.</summary>
internal static class UploadedItems
{
    /// <summary>One item per file that is on the server, in input order.</summary>
    public static ITaskItem[] Create(IReadOnlyList<ITaskItem> inputs, IReadOnlyList<UploadFileOutcome> outcomes) =>
        [.. outcomes.Select((outcome, index) => (outcome.Result, Input: inputs[index]))
            .Where(pair => pair.Result is not null)
            .Select(pair => Create(pair.Input, pair.Result!))];

    /// <summary>A copy of <paramref name="input"/> (its metadata and <c>RecursiveDir</c> kept) that also says where the
    /// file went and how.</summary>
    private static TaskItem Create(ITaskItem input, CompleteMultipartUploadResult result)
    {
        var item = new TaskItem(input);
        // Built-in metadata is not copied with the item; RecursiveDir cannot be derived again from the output item.
        Set(item, "RecursiveDir", input.GetMetadata("RecursiveDir"));
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
