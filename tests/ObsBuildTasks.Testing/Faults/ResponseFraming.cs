namespace ObsBuildTasks.Testing.Faults;

/// <summary>How a response body is delimited on the wire.</summary>
public enum ResponseFraming
{
    /// <summary>No body (HEAD request, 1xx, 204, 304).</summary>
    None,

    /// <summary>Exactly <c>Content-Length</c> bytes.</summary>
    ContentLength,

    /// <summary><c>Transfer-Encoding: chunked</c>.</summary>
    Chunked,

    /// <summary>Everything until the server closes the connection.</summary>
    UntilClose,
}
