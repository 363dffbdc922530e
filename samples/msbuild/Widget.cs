namespace ObsUploadSample;

/// <summary>The library this sample packs: any code would do.</summary>
public static class Widget
{
    /// <summary>Greets <paramref name="name"/>.</summary>
    public static string Greet(string name) => $"Hello, {name}!";
}
