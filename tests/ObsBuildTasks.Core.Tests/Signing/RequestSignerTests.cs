using ObsBuildTasks.Wire.Signing;

namespace ObsBuildTasks.Tests.Signing;

/// <summary>The factory picks the signer and header prefix for each <see cref="SignatureType"/>.</summary>
public sealed class RequestSignerTests
{
    [Theory]
    [InlineData(SignatureType.Obs, "x-obs-")]
    [InlineData(SignatureType.V2, "x-amz-")]
    [InlineData(SignatureType.V4, "x-amz-")]
    public void Create_returns_a_signer_with_the_schemes_header_prefix(SignatureType type, string expectedPrefix)
    {
        Assert.Equal(expectedPrefix, RequestSigner.Create(type, "us-east-1").HeaderPrefix);
    }

    [Fact]
    public void Create_V4_rejects_a_blank_region()
    {
        Assert.ThrowsAny<ArgumentException>(() => RequestSigner.Create(SignatureType.V4, " "));
    }
}
