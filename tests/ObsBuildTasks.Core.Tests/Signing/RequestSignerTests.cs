using ObsBuildTasks.Wire.Signing;

namespace ObsBuildTasks.Tests.Signing;

/// <summary>The factory picks the signer and header prefix for each <see cref="SignatureType"/>.</summary>
public sealed class RequestSignerTests
{
    [Theory]
    [InlineData(SignatureType.Obs, "x-obs-")]
    [InlineData(SignatureType.V2, "x-amz-")]
    [InlineData(SignatureType.V4, "x-amz-")]
    public void CreateReturnsASignerWithTheSchemesHeaderPrefix(SignatureType type, string expectedPrefix)
    {
        Assert.Equal(expectedPrefix, RequestSigner.Create(type, "us-east-1").HeaderPrefix);
    }

    [Fact]
    public void CreateV4RejectsABlankRegion()
    {
        Assert.ThrowsAny<ArgumentException>(() => RequestSigner.Create(SignatureType.V4, " "));
    }
}
