using Microsoft.AspNetCore.Http;

namespace ObsBuildTasks.ObsFront.Tests.Signing;

/// <summary>
/// The front's verifier reproduces every StringToSign and signature of /work/shared/obs-protocol.md from the requests
/// they belong to (method, request target, headers), not from the strings.
/// </summary>
public sealed class ObsSignatureVectorTests
{
    private const string SecretAccessKey = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    private const string Key = "/examplebucket/artifacts/build%201.zip";
    private const string UploadId = "00000163D40171ED8DF4050919BD02B8";
    // As given in the vectors: 15 Oct 2015 was a Thursday. The signature covers the text, never a parsed date.
    private const string Date = "Tue, 15 Oct 2015 07:20:09 GMT";

    private static readonly Dictionary<string, (string Method, string RawTarget, (string Name, string Value)[] Headers, string StringToSign, string Signature)> Vectors = new()
    {
        ["GET"] = ("GET", "/johnsmith/photos/puppy.jpg", [("Date", "Tue, 27 Mar 2007 19:36:42 +0000")],
            "GET\n\n\nTue, 27 Mar 2007 19:36:42 +0000\n/johnsmith/photos/puppy.jpg", "bWq2s1WEIj+Ydj0vQ697zp+IXMU="),
        // With x-obs-date the Date line is empty, even when a Date header is sent as well.
        ["Initiate"] = ("POST", Key + "?uploads",
            [("Content-Type", "application/zip"), ("Date", "Thu, 15 Oct 2015 07:20:10 GMT"), ("x-obs-storage-class", "STANDARD"),
             ("X-Obs-Meta-Commit", "abc123"), ("x-obs-date", Date), ("x-obs-acl", "private")],
            $"POST\n\napplication/zip\n\nx-obs-acl:private\nx-obs-date:{Date}\nx-obs-meta-commit:abc123\nx-obs-storage-class:STANDARD\n{Key}?uploads",
            "MaQK5FtJAdOgN4nbaNpNem9rpJw="),
        ["UploadPart"] = ("PUT", $"{Key}?uploadId={UploadId}&partNumber=3", [("Content-MD5", "I5pU0r4+sgO9Emgl1KMQUg=="), ("Date", Date)],
            $"PUT\nI5pU0r4+sgO9Emgl1KMQUg==\n\n{Date}\n{Key}?partNumber=3&uploadId={UploadId}", "DhH479Dxn5pky4N6gfJuKeM6EcI="),
        ["Complete"] = ("POST", $"{Key}?uploadId={UploadId}", [("Content-Type", "application/xml"), ("Date", Date)],
            $"POST\n\napplication/xml\n{Date}\n{Key}?uploadId={UploadId}", "tukZhRuUslv4AuHv2xKWumXqH5E="),
        ["ListParts"] = ("GET", $"{Key}?max-parts=1000&uploadId={UploadId}&part-number-marker=2", [("Date", Date)],
            $"GET\n\n\n{Date}\n{Key}?uploadId={UploadId}", "aHVjy7q0+R5mcVJBBf1C2R+WTDM="),
        ["Abort"] = ("DELETE", $"{Key}?uploadId={UploadId}", [("Date", Date)],
            $"DELETE\n\n\n{Date}\n{Key}?uploadId={UploadId}", "IbkfBYsnTkR+mBhCWaE4TRjJB+M="),
    };

    public static TheoryData<string> Names => [.. Vectors.Keys];

    [Theory]
    [MemberData(nameof(Names))]
    public void StringToSign_is_built_from_the_request(string name)
    {
        var vector = Vectors[name];

        var stringToSign = Build(vector.Method, vector.RawTarget, vector.Headers);

        Assert.Equal(vector.StringToSign, stringToSign);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Signature_of_the_request_matches_the_vector(string name)
    {
        var vector = Vectors[name];

        var signature = ObsStringToSign.Sign(Build(vector.Method, vector.RawTarget, vector.Headers), SecretAccessKey);

        Assert.Equal(vector.Signature, signature);
    }

    private static string Build(string method, string rawTarget, (string Name, string Value)[] headers)
    {
        var dictionary = new HeaderDictionary();
        foreach (var (name, value) in headers)
        {
            dictionary.Append(name, value);
        }

        return ObsStringToSign.Build(method, RequestTarget.Parse("obs.example.com", rawTarget, "obs.example.com"), dictionary);
    }
}
