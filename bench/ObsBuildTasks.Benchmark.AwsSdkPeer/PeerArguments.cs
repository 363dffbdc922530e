namespace ObsBuildTasks.Benchmark.AwsSdkPeer;

/// <summary>The command line: "--name value" pairs, and the files.</summary>
internal static class PeerArguments
{
    /// <summary>Splits <paramref name="args"/> into options (by name, without the dashes) and files.</summary>
    public static (Dictionary<string, string> Options, List<string> Files) Parse(IEnumerable<string> args)
    {
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        var files = new List<string>();
        using var arguments = args.GetEnumerator();
        while (arguments.MoveNext())
        {
            if (!arguments.Current.StartsWith("--", StringComparison.Ordinal))
            {
                files.Add(arguments.Current);
                continue;
            }

            var name = arguments.Current[2..];
            options[name] = arguments.MoveNext() ? arguments.Current : throw new ArgumentException($"--{name} needs a value");
        }

        return (options, files);
    }

    /// <summary>The value of a required option.</summary>
    public static string Required(this Dictionary<string, string> options, string name) =>
        options.TryGetValue(name, out var value) ? value : throw new ArgumentException($"--{name} is required");
}
