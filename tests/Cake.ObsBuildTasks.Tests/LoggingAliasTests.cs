using System.Text.RegularExpressions;
using Cake.Core.Diagnostics;
using ObsBuildTasks;
using Cake.ObsBuildTasks.Tests.Fakes;
using ObsBuildTasks.Testing.Faults;

namespace Cake.ObsBuildTasks.Tests;

/// <summary>What an upload writes to Cake's log, and at which verbosity.</summary>
public sealed class LoggingAliasTests
{
    [Fact]
    public async Task Start_progress_end_and_totals_lines_are_information_and_the_signature_verbose()
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
        var prefix = workspace.Prefix;
        bool IsInformation(LogEntry entry) => entry is { Verbosity: Verbosity.Normal, Level: LogLevel.Information };
        Assert.Contains(entries, entry => IsInformation(entry)
            && entry.Text == $"Uploading app.zip (300.0 KiB) to {workspace.Store.Bucket}/{prefix}app.zip in 3 parts of 100.0 KiB.");
        Assert.Contains(entries, entry => IsInformation(entry)
            && Regex.IsMatch(entry.Text, @"^Uploading to [a-z-]+: [1-9][0-9]% \([0-9.]+ KiB of 300\.0 KiB\) at [0-9.]+ [KM]iB/s, about [0-9]+ s left\.$"));
        Assert.Contains(entries, entry => IsInformation(entry)
            && Regex.IsMatch(entry.Text, @"^Uploaded app\.zip to \S+ in [0-9.]+ s at [0-9.]+ [KM]iB/s: 3 part\(s\) sent; ETag [0-9a-f]{32}-3\.$"));
        Assert.Contains(entries, entry => entry is { Verbosity: Verbosity.Verbose } && entry.Text.StartsWith($"Bucket {workspace.Store.Bucket}: signing with V4", StringComparison.Ordinal));
        var totals = Assert.Single(entries, entry => entry.Text.StartsWith("Uploaded 1 of 1 file(s)", StringComparison.Ordinal));
        Assert.True(IsInformation(totals));
        Assert.Contains($"(300.0 KiB) to bucket {workspace.Store.Bucket} in ", totals.Text, StringComparison.Ordinal);
        Assert.Contains(": 1 uploaded, 0 resumed, 0 skipped, 0 failed;", totals.Text, StringComparison.Ordinal);
    }
}
