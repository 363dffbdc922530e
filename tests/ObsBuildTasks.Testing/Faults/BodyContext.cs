using System.Globalization;

namespace ObsBuildTasks.Testing.Faults;

/// <summary>What a made-up answer may mention of the request it answers.</summary>
/// <param name="Sequence">The request's <see cref="ProxiedRequest.Sequence"/>.</param>
/// <param name="Resource">The request's path, without the query.</param>
internal readonly record struct BodyContext(long Sequence, string Resource)
{
    /// <summary>The id the proxy gives the request: <c>proxy-N</c> with N its <see cref="Sequence"/>.</summary>
    public string RequestId => string.Create(CultureInfo.InvariantCulture, $"proxy-{Sequence}");
}
