using Microsoft.Build.Framework;

namespace ObsBuildTasks.MSBuild;

/// <summary>Where an item goes: its <c>ObjectKey</c> metadata, or the prefix plus its path below the wildcard.</summary>
internal static class ObjectKeys
{
    /// <summary>The object key of <paramref name="item"/>.</summary>
    /// <remarks><c>%(RecursiveDir)</c> is empty for items not matched by a <c>**</c> wildcard, so such files go
    /// straight under the prefix. Backslashes (Windows paths) become '/', the separator object stores show as folders;
    /// an explicit <c>ObjectKey</c> is taken as written.</remarks>
    public static string For(ITaskItem item, string? prefix)
    {
        var explicitKey = item.GetMetadata("ObjectKey");
        if (explicitKey.Length > 0)
        {
            return explicitKey;
        }

        var relative = item.GetMetadata("RecursiveDir") + item.GetMetadata("Filename") + item.GetMetadata("Extension");
        return (prefix + relative).Replace('\\', '/');
    }
}
