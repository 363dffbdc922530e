using System.Globalization;
using System.Text;

namespace ObsBuildTasks.Benchmark;

/// <summary>The Markdown report: medians per server, scenario and tool; ratios ours/peer; the issue's targets.</summary>
internal static class Report
{
    private const double MiB = 1024 * 1024;

    public static string Build(IReadOnlyList<RunResult> results, BenchmarkOptions options, string peerVersions, IReadOnlyList<Scenario> scenarios,
        DateTime started, DateTime finished)
    {
        var text = new StringBuilder();
        var partMiB = options.PartSize / MiB;
        Line(text, $"# Upload benchmark {started:yyyy-MM-dd HH:mm} UTC{(options.Quick ? " (quick)" : "")}");
        Line(text, "");
        Line(text, $"- Machine: {Environment.ProcessorCount} cores, {MemoryGiB():0} GiB RAM, {OsName()}; finished {finished:HH:mm} UTC ({(finished - started).TotalMinutes:0} min).");
        Line(text, $"- Engine and runner: {Environment.GetEnvironmentVariable("OBS_BENCH_ENGINE_COMMIT") ?? "unknown commit"}; peers: {peerVersions}.");
        Line(text, $"- Part size {partMiB:0.#} MiB for every tool; TaskNum = awscli max_concurrent_requests = rclone --s3-upload-concurrency (and --transfers) = esdk-obs-nodejs TaskNum (putObject: files at a time) = TransferUtility ConcurrentServiceRequests.");
        Line(text, $"- Medians of the rounds; `others` = CPU used by everything but client, server and driver during the run (other jobs on the machine), in cores; `foreign req` = requests other clients sent to the same store during the run (the store is shared with other jobs' tests; its CPU serves them too).");
        Line(text, $"- ours = the runner's front end running the call in obs-uploader (the product's path), ours-jit = the same call in the runner's process (InProcess). CPU and peak RSS = GNU time's rusage of the client with its waited-for children: for ours the CPU of front end and uploader together, the peak RSS the larger of the two (not their sum); `uploader` = obs-uploader's own CPU and peak RSS (its `obs-uploader used` line); `front end` = the runner process's own (its `runtime` line).");
        Line(text, $"- Command line: `{options.CommandLine}`");
        Line(text, "");

        foreach (var server in results.Select(result => result.Server).Distinct())
        {
            Line(text, $"## Server: {server}");
            Line(text, "");
            foreach (var scenario in scenarios)
            {
                var runs = results.Where(result => result.Server == server && result.Scenario == scenario.Id).ToList();
                if (runs.Count == 0)
                {
                    continue;
                }

                Line(text, $"### {scenario.Title} ({scenario.Id}, {runs.Max(run => run.Round)} round(s))");
                Line(text, "");
                if (scenario.Kind == ScenarioKind.Resume)
                {
                    ResumeTable(text, runs, options.PartSize, scenario.TaskNum);
                }
                else
                {
                    Table(text, runs);
                }

                Line(text, "");
            }

            Ratios(text, results.Where(result => result.Server == server).ToList(), scenarios);
        }

        var failed = results.Where(result => !result.Ok).ToList();
        if (failed.Count > 0)
        {
            Line(text, "## Failed runs (left out of the medians)");
            Line(text, "");
            foreach (var run in failed)
            {
                Line(text, $"- {run.Server} {run.Scenario} {run.Tool} round {run.Round}: {run.Problem} (output: {run.OutputPath})");
            }

            Line(text, "");
        }

        return text.ToString();
    }

    private static void Table(StringBuilder text, List<RunResult> runs)
    {
        Line(text, "| tool | wall s | MiB/s | CPU s/GiB | user s | sys s | peak RSS MiB | uploader CPU s | uploader RSS MiB | front end CPU s | front end RSS MiB | requests | server CPU s | others (cores) | foreign req | ok runs |");
        Line(text, "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        ToolRows(text, runs, 16, (tool, ok, all) =>
            Invariant($"| {tool} | {Median(ok, r => r.WallSeconds):0.00} | {Median(ok, r => r.MiBPerSecond):0.0} | {Median(ok, r => r.CpuPerGiB):0.00} | {Median(ok, r => r.UserSeconds):0.00} | {Median(ok, r => r.SystemSeconds):0.00} | {Median(ok, r => r.MaxRssKiB / 1024.0):0} | {Optional(ok, r => r.UploaderCpuSeconds, "0.00")} | {Optional(ok, r => r.UploaderMaxRssKiB / 1024.0, "0.0")} | {Optional(ok, r => r.FrontEndCpuSeconds, "0.00")} | {Optional(ok, r => r.FrontEndMaxRssKiB / 1024.0, "0")} | {Median(ok, r => r.Requests):0} | {Median(ok, r => r.ServerCpuSeconds):0.0} | {Median(ok, r => r.OthersCpuSeconds / r.WallSeconds):0.00} | {Median(ok, r => r.ForeignRequests):0} | {ok.Count}/{all.Count} |"));
    }

    /// <summary>One row per tool, in the report's tool order; a tool whose runs all failed gets a "failed" row.</summary>
    private static void ToolRows(StringBuilder text, List<RunResult> runs, int columns, Func<string, List<RunResult>, List<RunResult>, string> row)
    {
        foreach (var tool in runs.Select(run => run.Tool).Distinct().OrderBy(ToolOrder))
        {
            var all = runs.Where(run => run.Tool == tool).ToList();
            var ok = all.Where(run => run.Ok).ToList();
            Line(text, ok.Count == 0 ? $"| {tool} | failed |{string.Concat(Enumerable.Repeat(" |", columns - 3))} 0/{all.Count} |" : row(tool, ok, all));
        }
    }

    private static void ResumeTable(StringBuilder text, List<RunResult> runs, long partSize, int taskNum)
    {
        Line(text, "| tool | killed after s | on server at kill MiB | missing MiB | resume sent MiB | re-sent beyond missing MiB (parts) | lost in flight MiB | resume wall s | resume CPU s | resume peak RSS MiB | resume requests | ok runs |");
        Line(text, "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        ToolRows(text, runs, 12, (tool, ok, all) =>
        {
            var beyond = Median(ok, r => ResentBeyondMissing(r));
            return Invariant($"| {tool} | {Median(ok, r => r.KilledWallSeconds ?? 0):0.0} | {Median(ok, r => (r.KilledCompletedBytes ?? 0) / MiB):0} | {Median(ok, r => Missing(r) / MiB):0} | {Median(ok, r => r.BodyBytes / MiB):0} | {beyond / MiB:0} ({beyond / partSize:0.#}) | {Median(ok, r => ((r.KilledBodyBytes ?? 0) - (r.KilledCompletedBytes ?? 0)) / MiB):0} | {Median(ok, r => r.WallSeconds):0.00} | {Median(ok, r => r.CpuSeconds):0.00} | {Median(ok, r => r.MaxRssKiB / 1024.0):0} | {Median(ok, r => r.Requests):0} | {ok.Count}/{all.Count} |");
        });

        Line(text, "");
        Line(text, Invariant($"Missing = file size − bytes in parts the server held after the kill. Target: re-sent beyond missing ≤ TaskNum parts = {taskNum * partSize / MiB:0} MiB."));
    }

    /// <summary>The median of a figure only some tools report (ours), or empty.</summary>
    private static string Optional(List<RunResult> runs, Func<RunResult, double?> value, string format)
    {
        var reported = runs.Where(run => value(run) is not null).ToList();
        return reported.Count == 0 ? "" : Median(reported, run => value(run)!.Value).ToString(format, CultureInfo.InvariantCulture);
    }

    private static long Missing(RunResult run) => run.PayloadBytes - (run.KilledCompletedBytes ?? 0);

    private static double ResentBeyondMissing(RunResult run) => run.BodyBytes - Missing(run);

    private static void Ratios(StringBuilder text, List<RunResult> runs, IReadOnlyList<Scenario> scenarios)
    {
        var peers = runs.Select(run => run.Tool).Distinct().Where(tool => tool != "ours").OrderBy(ToolOrder).ToList();
        if (!runs.Any(run => run.Tool == "ours") || peers.Count == 0)
        {
            return;
        }

        Line(text, $"### Ratios ours/peer and the issue's targets ({runs[0].Server})");
        Line(text, "");
        var header = new StringBuilder("| scenario | ours MiB/s |");
        var rule = new StringBuilder("| --- | ---: |");
        foreach (var peer in peers)
        {
            header.Append(CultureInfo.InvariantCulture, $" MiB/s ours/{peer} |");
            rule.Append(" ---: |");
        }

        header.Append(" ours CPU s/GiB |");
        rule.Append(" ---: |");
        foreach (var peer in peers)
        {
            header.Append(CultureInfo.InvariantCulture, $" CPU/GiB ours/{peer} |");
            rule.Append(" ---: |");
        }

        header.Append(" ours RSS MiB: uploader (limit) / front end |");
        rule.Append(" ---: |");
        foreach (var peer in peers)
        {
            header.Append(CultureInfo.InvariantCulture, $" {peer} RSS MiB |");
            rule.Append(" ---: |");
        }

        header.Append(" throughput ≥ faster peer | CPU ≤ cheaper peer | memory |");
        rule.Append(" :---: | :---: | :---: |");
        Line(text, header.ToString());
        Line(text, rule.ToString());
        foreach (var scenario in scenarios)
        {
            var ours = runs.Where(run => run.Scenario == scenario.Id && run.Tool == "ours" && run.Ok).ToList();
            if (ours.Count == 0)
            {
                continue;
            }

            // For the resume scenario compare the resumed run: speed = file size / resume wall time.
            var row = new StringBuilder($"| {scenario.Id} |");
            var oursSpeed = Median(ours, r => r.MiBPerSecond);
            var oursCpu = Median(ours, r => r.CpuPerGiB);
            // The uploader is the process the product adds; the front end stands in for MSBuild's or Cake's process
            // (eng/build-cost.sh measures what the call adds to that). A variant without the uploader: the whole runner.
            var oursRss = Median(ours, r => (r.UploaderMaxRssKiB ?? r.MaxRssKiB) / 1024.0);
            var frontEndRss = Median(ours, r => (r.FrontEndMaxRssKiB ?? r.MaxRssKiB) / 1024.0);
            row.Append(CultureInfo.InvariantCulture, $" {oursSpeed:0.0} |");
            var peerSpeeds = new List<double>();
            var peerCpus = new List<double>();
            var peerRss = new List<double?>();
            foreach (var peer in peers)
            {
                var theirs = runs.Where(run => run.Scenario == scenario.Id && run.Tool == peer && run.Ok).ToList();
                if (theirs.Count == 0)
                {
                    row.Append(" — |");
                    peerRss.Add(null);
                    continue;
                }

                var speed = Median(theirs, r => r.MiBPerSecond);
                if (!peer.StartsWith("ours", StringComparison.Ordinal))
                {
                    // The targets are against the real peers, not against variants of ours.
                    peerSpeeds.Add(speed);
                    peerCpus.Add(Median(theirs, r => r.CpuPerGiB));
                }

                peerRss.Add(Median(theirs, r => r.MaxRssKiB / 1024.0));
                row.Append(CultureInfo.InvariantCulture, $" {oursSpeed / speed:0.00} |");
            }

            row.Append(CultureInfo.InvariantCulture, $" {oursCpu:0.00} |");
            foreach (var peer in peers)
            {
                var theirs = runs.Where(run => run.Scenario == scenario.Id && run.Tool == peer && run.Ok).ToList();
                row.Append(theirs.Count == 0 ? " — |" : string.Create(CultureInfo.InvariantCulture, $" {oursCpu / Median(theirs, r => r.CpuPerGiB):0.00} |"));
            }

            var limit = 64 + (scenario.TaskNum * 2);
            row.Append(CultureInfo.InvariantCulture, $" {oursRss:0.0} ({limit}) / {frontEndRss:0} |");
            foreach (var rss in peerRss)
            {
                row.Append(rss is { } value ? string.Create(CultureInfo.InvariantCulture, $" {value:0} |") : " — |");
            }

            var speedOk = peerSpeeds.Count == 0 || oursSpeed >= peerSpeeds.Max();
            var cpuOk = peerCpus.Count == 0 || oursCpu <= peerCpus.Min();
            row.Append(CultureInfo.InvariantCulture, $" {Mark(speedOk)} | {Mark(cpuOk)} | {Mark(oursRss <= limit)} |");
            Line(text, row.ToString());
        }

        Line(text, "");
        Line(text, "For the resume scenario the ratios compare the resumed run (file size / resume wall time, CPU of the resumed run per GiB of the file).");
        Line(text, "");
    }

    private static string Mark(bool ok) => ok ? "yes" : "**no**";

    private static int ToolOrder(string tool) => tool switch { "ours" => 0, "aws" => 2, "rclone" => 3, SdkPeers.Node => 4, SdkPeers.TransferUtility => 5,
        _ when tool.StartsWith("ours", StringComparison.Ordinal) => 1, _ => 6 };

    private static double Median(IEnumerable<RunResult> runs, Func<RunResult, double> value)
    {
        var values = runs.Select(value).OrderBy(v => v).ToList();
        if (values.Count == 0)
        {
            return double.NaN;
        }

        var middle = values.Count / 2;
        return values.Count % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
    }

    private static string Invariant(FormattableString value) => value.ToString(CultureInfo.InvariantCulture);

    private static void Line(StringBuilder text, string line) => text.Append(line).Append('\n');

    private static double MemoryGiB()
    {
        var line = File.ReadLines("/proc/meminfo").First(l => l.StartsWith("MemTotal:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024.0 / 1024.0;
    }

    private static string OsName()
    {
        var pretty = File.Exists("/etc/os-release")
            ? File.ReadLines("/etc/os-release").FirstOrDefault(l => l.StartsWith("PRETTY_NAME=", StringComparison.Ordinal))?.Split('=', 2)[1].Trim('"')
            : null;
        return $"{pretty ?? "Linux"}, .NET {Environment.Version}";
    }
}
