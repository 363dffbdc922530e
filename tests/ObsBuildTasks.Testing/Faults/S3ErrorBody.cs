using System.Security;
using System.Text;

namespace ObsBuildTasks.Testing.Faults;

/// <summary>
/// An S3 (and OBS) XML error document: <c>&lt;Error&gt;</c> with <c>&lt;Code&gt;</c>, <c>&lt;Message&gt;</c>, any
/// further <see cref="Fields"/>, then the request's path as <c>&lt;Resource&gt;</c> and the proxy's request id
/// (<c>proxy-N</c>, also sent as <c>x-amz-request-id</c>) as <c>&lt;RequestId&gt;</c>.
/// </summary>
/// <param name="Code">The error code put in <c>&lt;Code&gt;</c>, e.g. <c>SlowDown</c>.</param>
/// <param name="Message">The text put in <c>&lt;Message&gt;</c>.</param>
public sealed record S3ErrorBody(string Code, string Message) : ResponseBody
{
    /// <summary>
    /// Further elements written after <c>&lt;Message&gt;</c>, in order, e.g. <c>Endpoint</c> for a
    /// <c>PermanentRedirect</c>.
    /// </summary>
    public IReadOnlyList<KeyValuePair<string, string>> Fields { get; init; } = [];

    internal override long? Length(BodyContext context) => Render(context).Length;

    internal override Task WriteToAsync(Stream destination, BodyContext context, CancellationToken cancellationToken) =>
        destination.WriteAsync(Render(context), cancellationToken).AsTask();

    private static string Element(string name, string value) => $"<{name}>{SecurityElement.Escape(value)}</{name}>";

    private byte[] Render(BodyContext context) => Encoding.UTF8.GetBytes(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error>"
        + Element("Code", Code)
        + Element("Message", Message)
        + string.Concat(Fields.Select(f => Element(f.Key, f.Value)))
        + Element("Resource", context.Resource)
        + Element("RequestId", context.RequestId)
        + "</Error>");
}
