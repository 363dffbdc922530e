namespace ObsBuildTasks.Testing.Faults;

/// <summary>
/// Forwards the request (so the operation takes effect upstream), then relays the upstream's answer changed by
/// <see cref="Edits"/>: header fields removed, replaced or added, the status replaced, the body replaced, truncated
/// (complete but short) or cut (the connection reset before the promised end). Without a body edit the body is relayed
/// byte for byte.
/// </summary>
/// <param name="Edits">The changes, applied in order; at most one edits the body.</param>
public sealed record RewriteResponseFault(IReadOnlyList<ResponseEdit> Edits) : Fault
{
    internal override async Task<ExchangeEnding> ApplyAsync(Exchange exchange)
    {
        await exchange.SendRequestAsync().ConfigureAwait(false);
        var response = await exchange.ReceiveResponseHeadAsync().ConfigureAwait(false);
        var head = ResponseHeadBuilder.From(response);
        foreach (var edit in Edits)
        {
            edit.EditHead(head);
        }

        return Edits.OfType<ResponseEdit.BodyEdit>().SingleOrDefault() is { } bodyEdit
            ? await bodyEdit.SendAsync(exchange, response, head).ConfigureAwait(false)
            : await exchange.RelayAsync(response, head.Build()).ConfigureAwait(false);
    }
}
