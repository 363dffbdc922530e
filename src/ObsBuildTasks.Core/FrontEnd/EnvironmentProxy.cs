using System.Net;

namespace ObsBuildTasks.FrontEnd;

/// <summary>
/// The proxy the usual variables name: <c>HTTPS_PROXY</c> for https endpoints, <c>HTTP_PROXY</c> for http ones (either
/// case), <c>ALL_PROXY</c> for both, with <c>user:password@</c> in the URL for a proxy that needs credentials, and
/// <c>NO_PROXY</c> (comma-separated hosts, <c>.domain</c> or <c>domain</c> suffixes, optional <c>:port</c>, or
/// <c>*</c>) for hosts reached directly. Read from the environment a front end sees at each call: a build node that
/// lives on between builds does not keep an earlier build's proxy.
/// </summary>
internal sealed class EnvironmentProxy : IWebProxy
{
    private readonly Uri? _httpsProxy;
    private readonly Uri? _httpProxy;
    private readonly string[] _bypass;

    private EnvironmentProxy(Uri? httpsProxy, Uri? httpProxy, string[] bypass)
    {
        // The proxies are handed out without their user info, so that no message about them (the HTTP stack's
        // included) can show a password; the credentials are offered from the cache instead.
        _httpsProxy = WithoutUserInfo(httpsProxy);
        _httpProxy = WithoutUserInfo(httpProxy);
        _bypass = bypass;
        var credentials = new CredentialCache();
        foreach (var proxy in new[] { httpsProxy, httpProxy }.OfType<Uri>().Distinct().Where(proxy => proxy.UserInfo.Length > 0))
        {
            var parts = proxy.UserInfo.Split(':', 2);
            credentials.Add(WithoutUserInfo(proxy)!, "Basic",
                new NetworkCredential(Uri.UnescapeDataString(parts[0]), parts.Length > 1 ? Uri.UnescapeDataString(parts[1]) : ""));
        }

        Credentials = credentials;
    }

    /// <inheritdoc />
    public ICredentials? Credentials { get; set; }

    /// <summary>The proxy of <paramref name="variables"/>, or <see langword="null"/> when none is set (then the system's
    /// default applies). A value that is not a URL is a problem for the user, not a silent direct connection.</summary>
    public static EnvironmentProxy? From(Func<string, string?> variables, out string? problem)
    {
        problem = null;
        var all = Read(variables, "ALL_PROXY");
        var https = Parse(Read(variables, "HTTPS_PROXY") ?? all, "HTTPS_PROXY", ref problem);
        var http = Parse(Read(variables, "HTTP_PROXY") ?? all, "HTTP_PROXY", ref problem);
        if (https is null && http is null)
        {
            return null;
        }

        var bypass = (Read(variables, "NO_PROXY") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return new EnvironmentProxy(https, http, bypass);
    }

    /// <inheritdoc />
    public Uri? GetProxy(Uri destination) => IsBypassed(destination) ? null : destination.Scheme == Uri.UriSchemeHttps ? _httpsProxy : _httpProxy;

    /// <inheritdoc />
    public bool IsBypassed(Uri host) =>
        (host.Scheme == Uri.UriSchemeHttps ? _httpsProxy : _httpProxy) is null || _bypass.Any(entry => Matches(entry, host));

    private static bool Matches(string entry, Uri host)
    {
        if (entry == "*")
        {
            return true;
        }

        var (name, port) = SplitPort(entry);
        if (port is { } required && required != host.Port)
        {
            return false;
        }

        name = name.TrimStart('*').TrimStart('.');
        return string.Equals(host.IdnHost, name, StringComparison.OrdinalIgnoreCase)
            || host.IdnHost.EndsWith("." + name, StringComparison.OrdinalIgnoreCase);
    }

    private static (string Name, int? Port) SplitPort(string entry)
    {
        var colon = entry.LastIndexOf(':');
        return colon > 0 && entry.IndexOf(']', StringComparison.Ordinal) < colon && int.TryParse(entry.AsSpan(colon + 1), out var port)
            ? (entry[..colon].Trim('[', ']'), port)
            : (entry.Trim('[', ']'), null);
    }

    private static Uri? WithoutUserInfo(Uri? proxy) => proxy is null ? null : new UriBuilder(proxy) { UserName = "", Password = "" }.Uri;

    private static string? Read(Func<string, string?> variables, string name) =>
        new[] { variables(name), variables(name.ToLowerInvariant()) }.FirstOrDefault(value => !string.IsNullOrWhiteSpace(value))?.Trim();

    private static Uri? Parse(string? value, string name, ref string? problem)
    {
        if (value is null)
        {
            return null;
        }

        var text = value.Contains("://", StringComparison.Ordinal) ? value : "http://" + value;
        if (Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && uri.Host.Length > 0)
        {
            return uri;
        }

        problem ??= $"The proxy in {name} (or ALL_PROXY) is not an http:// URL: fix or unset the variable.";
        return null;
    }
}
