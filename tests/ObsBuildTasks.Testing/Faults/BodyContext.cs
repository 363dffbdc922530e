namespace ObsBuildTasks.Testing.Faults;

/// <summary>What a made-up answer may mention of the request it answers.</summary>
/// <param name="RequestId">The id the proxy gives the request, <c>proxy-N</c> with N its <see cref="ProxiedRequest.Sequence"/>.</param>
/// <param name="Resource">The request's path, without the query.</param>
internal readonly record struct BodyContext(string RequestId, string Resource);
