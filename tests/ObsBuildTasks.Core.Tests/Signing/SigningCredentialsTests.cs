using ObsBuildTasks.Wire.Signing;

namespace ObsBuildTasks.Tests.Signing;

/// <summary>Credentials can be logged without leaking secrets.</summary>
public sealed class SigningCredentialsTests
{
    private static readonly SigningCredentials Credentials = new("AKIDPUBLIC", "very-secret-key", "session-token-value");

    [Fact]
    public void ToStringOmitsTheSecretAccessKey()
    {
        Assert.DoesNotContain("very-secret-key", Credentials.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void ToStringOmitsTheSecurityToken()
    {
        Assert.DoesNotContain("session-token-value", Credentials.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void ToStringShowsTheAccessKeyId()
    {
        Assert.Contains("AKIDPUBLIC", Credentials.ToString(), StringComparison.Ordinal);
    }
}
