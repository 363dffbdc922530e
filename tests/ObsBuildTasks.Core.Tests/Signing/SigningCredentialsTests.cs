using ObsBuildTasks.Wire.Signing;

namespace ObsBuildTasks.Tests.Signing;

/// <summary>Credentials can be logged without leaking secrets.</summary>
public sealed class SigningCredentialsTests
{
    private static readonly SigningCredentials Credentials = new("AKIDPUBLIC", "very-secret-key", "session-token-value");

    [Fact]
    public void To_string_omits_the_secret_access_key()
    {
        Assert.DoesNotContain("very-secret-key", Credentials.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void To_string_omits_the_security_token()
    {
        Assert.DoesNotContain("session-token-value", Credentials.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void To_string_shows_the_access_key_id()
    {
        Assert.Contains("AKIDPUBLIC", Credentials.ToString(), StringComparison.Ordinal);
    }
}
