using System.Collections.Frozen;

namespace ObsBuildTasks.ObsFront;

/// <summary>
/// Which headers cross the front and under which names: <c>x-obs-*</c> from the client become <c>x-amz-*</c> for the
/// store and the store's <c>x-amz-*</c> become <c>x-obs-*</c> (metadata, request id, version id, ACL, storage
/// class...). The client's authentication headers stay at the front (the store gets its own signature), and so do
/// hop-by-hop headers and the client's own <c>x-amz-*</c> headers (not covered by an OBS signature).
/// </summary>
public static class HeaderMapping
{
    private const string ObsPrefix = ObsStringToSign.HeaderPrefix;
    private const string AmzPrefix = "x-amz-";

    private static readonly FrozenSet<string> HopByHop = new[]
    {
        "Connection", "Keep-Alive", "Proxy-Connection", "TE", "Trailer", "Transfer-Encoding", "Upgrade",
    }.ToFrozenSet(StringComparer.OrdinalIgnoreCase);

    private static readonly FrozenSet<string> KeptFromStore = HopByHop.Concat(
    [
        // Set by the forwarder itself: the store's host and signature, the body's framing.
        "Host", "Authorization", "Date", "Expect", "Content-Length",
        ObsPrefix + "date", ObsPrefix + "security-token",
    ]).ToFrozenSet(StringComparer.OrdinalIgnoreCase);

    /// <summary>The name a client's request header is forwarded under, or <see langword="null"/> when it is not forwarded.</summary>
    public static string? ToStore(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return KeptFromStore.Contains(name) || name.StartsWith(AmzPrefix, StringComparison.OrdinalIgnoreCase)
            ? null
            : Rename(name, ObsPrefix, AmzPrefix);
    }

    /// <summary>The name a store's response header is returned under, or <see langword="null"/> when it is not returned.</summary>
    public static string? ToClient(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return HopByHop.Contains(name) ? null : Rename(name, AmzPrefix, ObsPrefix);
    }

    private static string Rename(string name, string from, string to) =>
        name.StartsWith(from, StringComparison.OrdinalIgnoreCase) ? to + name[from.Length..] : name;
}
