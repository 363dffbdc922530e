using System.Net;
using ObsBuildTasks.FrontEnd;

namespace ObsBuildTasks.Tests.FrontEnd;

public sealed class EnvironmentProxyTests
{
    [Fact]
    public void No_proxy_variable_means_no_proxy_of_our_own() => Assert.Null(EnvironmentProxy.From(_ => null, out _));

    [Fact]
    public void Https_and_http_endpoints_use_their_own_variables()
    {
        var proxy = Proxy(("HTTPS_PROXY", "http://secure:3128"), ("http_proxy", "plain:8080"));

        Assert.Equal(new Uri("http://secure:3128"), proxy.GetProxy(new Uri("https://obs.example.com")));
        Assert.Equal(new Uri("http://plain:8080"), proxy.GetProxy(new Uri("http://obs.example.com")));
    }

    [Theory]
    [InlineData("example.com", "https://obs.example.com", true)]
    [InlineData(".example.com", "https://example.com", true)]
    [InlineData("obs.example.com:8443", "https://obs.example.com:8443", true)]
    [InlineData("obs.example.com:8443", "https://obs.example.com", false)]
    [InlineData("other.com", "https://obs.example.com", false)]
    [InlineData("*", "https://anything.net", true)]
    [InlineData("127.0.0.1", "http://127.0.0.1:18080", true)]
    public void No_proxy_entries_bypass_matching_hosts(string noProxy, string destination, bool bypassed)
    {
        var proxy = Proxy(("ALL_PROXY", "http://proxy:3128"), ("NO_PROXY", $"unrelated, {noProxy}"));

        Assert.Equal(bypassed, proxy.IsBypassed(new Uri(destination)));
    }

    [Fact]
    public void Credentials_in_the_proxy_url_are_offered_to_it()
    {
        var proxy = Proxy(("HTTPS_PROXY", "http://user:p%40ss@proxy:3128"));

        var credential = proxy.Credentials!.GetCredential(proxy.GetProxy(new Uri("https://obs.example.com"))!, "Basic");

        Assert.Equal(("user", "p@ss"), (credential!.UserName, credential.Password));
    }

    [Fact]
    public void The_proxy_handed_to_the_http_stack_carries_no_user_info_for_its_messages_to_show()
    {
        var proxy = Proxy(("HTTPS_PROXY", "http://user:secret@proxy:3128"));

        Assert.Equal("http://proxy:3128/", proxy.GetProxy(new Uri("https://obs.example.com"))!.AbsoluteUri);
    }

    [Fact]
    public void A_proxy_that_is_not_a_url_is_a_problem()
    {
        EnvironmentProxy.From(name => name == "HTTPS_PROXY" ? "ftp://proxy" : null, out var problem);

        Assert.Contains("HTTPS_PROXY", problem, StringComparison.Ordinal);
    }

    private static EnvironmentProxy Proxy(params (string Name, string Value)[] variables)
    {
        var proxy = EnvironmentProxy.From(name => variables.FirstOrDefault(variable => variable.Name == name).Value, out var problem);
        Assert.Null(problem);
        return proxy!;
    }
}
