using System.Text.RegularExpressions;
using Cake.Core.Diagnostics;
using ObsBuildTasks;
using ObsBuildTasks.Testing.Faults;

namespace Cake.ObsBuildTasks.Tests;

/// <summary>What an upload writes to Cake's log, and at which verbosity.</summary>
public sealed class LoggingAliasTests
{
    [Fact]
    public async Task Progress_and_news_are_normal_part_detail_is_verbose_and_the_summary_minimal()
    {
        using var workspace = await AliasWorkspace.CreateAsync();
        await using var proxy = new FaultInjectingProxy(workspace.Store.Endpoint);
        // Part 2's answer is held long enough for several progress ticks while part 1 is on the server.
        proxy.AddRule(FaultRule.DelayResponse(TimeSpan.FromMilliseconds(300)).ForMethod("PUT").WithQueryParameter("partNumber", "2"));
        workspace.Files.Create("app.zip", 3 * UploadFileRequest.MinPartSize);
        var context = workspace.CreateContext(workspace.StoreVariables(proxy.Endpoint));
        var settings = workspace.Settings();
        settings.ProgressInterval = TimeSpan.FromMilliseconds(20);

        context.ObsUploadFile(workspace.Store.Bucket, "app.zip", settings);

        var entries = context.Log.Entries;
        Assert.Contains(entries, entry => entry is { Verbosity: Verbosity.Normal, Level: LogLevel.Information }
            && Regex.IsMatch(entry.Text, @"^Uploading app\.zip: [1-9][0-9]% \([0-9.]+ KiB of 300\.0 KiB, [0-9.]+ s\)$"));
        Assert.Contains(entries, entry => entry is { Verbosity: Verbosity.Normal, Level: LogLevel.Information } && entry.Text.StartsWith("Uploaded '", StringComparison.Ordinal));
        Assert.Contains(entries, entry => entry is { Verbosity: Verbosity.Verbose, Level: LogLevel.Verbose } && entry.Text.StartsWith("Part 1/3 of", StringComparison.Ordinal));
        var summary = Assert.Single(entries, entry => entry.Verbosity == Verbosity.Minimal);
        Assert.StartsWith($"Uploaded 1 file(s) (300.0 KiB) to OBS bucket '{workspace.Store.Bucket}'", summary.Text, StringComparison.Ordinal);
    }
}
