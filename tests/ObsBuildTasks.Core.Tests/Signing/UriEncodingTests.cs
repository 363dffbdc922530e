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
    public void Encode_key_percent_encodes_reserved_characters_with_uppercase_hex(string key, string expected)
    {
        Assert.Equal(expected, UriEncoding.EncodeKey(key));
    }

    [Theory]
    [InlineData("é", "%C3%A9")]
    [InlineData("构建.zip", "%E6%9E%84%E5%BB%BA.zip")]
    [InlineData("😀", "%F0%9F%98%80")]
    public void Encode_key_encodes_each_utf8_byte_of_non_ascii_characters(string key, string expected)
    {
        Assert.Equal(expected, UriEncoding.EncodeKey(key));
    }

    [Fact]
    public void Encode_key_keeps_unreserved_characters_and_slash()
    {
        const string key = "AZaz09-_.~/dir/~user/file.txt";

        Assert.Equal(key, UriEncoding.EncodeKey(key));
    }

    [Fact]
    public void Encode_component_encodes_slash()
    {
        Assert.Equal("dir%2Ffile%20name", UriEncoding.EncodeComponent("dir/file name"));
    }

    [Fact]
    public void Encode_component_keeps_tilde()
    {
        Assert.Equal("~user", UriEncoding.EncodeComponent("~user"));
    }

    [Fact]
    public void Encode_key_rejects_a_lone_surrogate()
    {
        Assert.ThrowsAny<ArgumentException>(() => UriEncoding.EncodeKey("bad\uD800key"));
    }
}
