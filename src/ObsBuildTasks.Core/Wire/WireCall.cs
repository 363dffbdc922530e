using System.Net;
using ObsBuildTasks.Wire.Signing;

namespace ObsBuildTasks.Wire;

/// <summary>What an operation expects of a successful answer's body.</summary>
internal enum AnswerBodyUse
{
    /// <summary>Nothing: the headers say all (the body, if any, is not read).</summary>
    None,

    /// <summary>An XML document, read whole up to <see cref="AnswerBody.MaxDocumentBytes"/>; a larger one is malformed.</summary>
    Document,

    /// <summary>A <see cref="Document"/> that the service may keep alive with whitespace while it works, as S3 does for
    /// CompleteMultipartUpload: whitespace counts as progress for up to <see cref="AnswerBody.MaxKeepAlive"/>.</summary>
    KeptAliveDocument,
}

/// <summary>One operation, as the <see cref="RequestExecutor"/> runs it: how to build each attempt's request, what it
/// sends, what it expects back, and how to read the answer.</summary>
internal sealed record WireCall<T>(string Operation, RequestSigner Signer, Func<ObsRequest> CreateRequest, Func<WireAnswer, T> Read)
{
    public RequestBody? Body { get; init; }

    public AnswerBodyUse AnswerBody { get; init; }

    /// <summary>Which statuses besides 2xx are answers for <see cref="Read"/> rather than errors (a 404 to HEAD of a
    /// missing object, any answer to the protocol probe).</summary>
    public Func<HttpStatusCode, bool>? AcceptsStatus { get; init; }
}

/// <summary>A successful answer: its status, its headers, and its body when the call asked for one.</summary>
internal sealed record WireAnswer(HttpStatusCode Status, WireResponse Response, byte[] Body);
