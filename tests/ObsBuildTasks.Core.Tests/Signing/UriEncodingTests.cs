using ObsBuildTasks.Wire;

namespace ObsBuildTasks.Tests.Signing;

/// <summary>RFC 3986 percent-encoding of object keys and query components.</summary>
public sealed class UriEncodingTests
{
    [Theory]
    [InlineData("a b", "a%20b")]
    [InlineData("a+b", "a%2Bb")]
    [InlineData("100%", "100%25")]
    [InlineData("a;b", "a%3Bb")]
    [InlineData("a#b", "a%23b")]
    public void EncodeKeyPercentEncodesReservedCharactersWithUppercaseHex(string key, string expected)
    {
        Assert.Equal(expected, UriEncoding.EncodeKey(key));
    }

    [Theory]
    [InlineData("é", "%C3%A9")]
    [InlineData("构建.zip", "%E6%9E%84%E5%BB%BA.zip")]
    [InlineData("😀", "%F0%9F%98%80")]
    public void EncodeKeyEncodesEachUtf8ByteOfNonAsciiCharacters(string key, string expected)
    {
        Assert.Equal(expected, UriEncoding.EncodeKey(key));
    }

    [Fact]
    public void EncodeKeyKeepsUnreservedCharactersAndSlash()
    {
        const string key = "AZaz09-_.~/dir/~user/file.txt";

        Assert.Equal(key, UriEncoding.EncodeKey(key));
    }

    [Fact]
    public void EncodeComponentEncodesSlash()
    {
        Assert.Equal("dir%2Ffile%20name", UriEncoding.EncodeComponent("dir/file name"));
    }

    [Fact]
    public void EncodeComponentKeepsTilde()
    {
        Assert.Equal("~user", UriEncoding.EncodeComponent("~user"));
    }

    [Fact]
    public void EncodeKeyRejectsALoneSurrogate()
    {
        Assert.ThrowsAny<ArgumentException>(() => UriEncoding.EncodeKey("bad\uD800key"));
    }
}
