using System.Diagnostics;
using System.Text.Json;

namespace ObsBuildTasks.Benchmark;

/// <summary>The two SDK peers: Huawei's esdk-obs-nodejs (bench/ObsBuildTasks.Benchmark.NodeSdkPeer/upload.js under node)
/// and the AWS SDK for .NET's TransferUtility (bench/ObsBuildTasks.Benchmark.AwsSdkPeer), each a small program over the
/// SDK, configured to the same part size and concurrency as the others.</summary>
internal sealed class SdkPeers(BenchmarkOptions options)
{
    /// <summary>Tool name of the esdk-obs-nodejs peer.</summary>
    public const string Node = "obs-node";

    /// <summary>Tool name of the TransferUtility peer.</summary>
    public const string TransferUtility = "aws-dotnet";

    private string NodePackage => Path.Combine(options.NodeModules ?? "", "esdk-obs-nodejs", "package.json");

    /// <summary>Why <paramref name="tool"/> cannot run, or null (also for tools that are not SDK peers).</summary>
    public string? Unavailable(string tool) => tool switch
    {
        Node when options.NodePeer is null || !File.Exists(options.NodePeer) => $"{Node} needs --node-peer (upload.js): '{options.NodePeer}'",
        Node when !File.Exists(NodePackage) => $"{Node} needs --node-modules with esdk-obs-nodejs installed: no {NodePackage}",
        TransferUtility when options.AwsSdkPeer is null || !File.Exists(options.AwsSdkPeer) =>
            $"{TransferUtility} needs --aws-sdk-peer (ObsBuildTasks.Benchmark.AwsSdkPeer.dll): '{options.AwsSdkPeer}'",
        _ => null,
    };

    /// <summary>esdk-obs-nodejs: uploadFile (checkpoint in the run's folder) for files larger than a part, putObject for
    /// the others.</summary>
    public ClientCommand NodeCommand(RunSpec spec)
    {
        List<string> arguments = [options.NodePeer!, .. Peers.TargetArguments(spec, options.PartSize), "--checkpoint-dir", spec.CheckpointDirectory, .. spec.Files];
        var environment = Peers.ObsCredentials(spec.Server);
        environment["NODE_PATH"] = options.NodeModules;
        return new ClientCommand("node", arguments, environment);
    }

    /// <summary>TransferUtility: UploadDirectoryAsync for the many-files scenario's folder, UploadAsync per file otherwise.</summary>
    public ClientCommand TransferUtilityCommand(RunSpec spec, Dictionary<string, string?> environment)
    {
        List<string> arguments = [options.AwsSdkPeer!, .. Peers.TargetArguments(spec, options.PartSize)];
        if (spec.SourceDirectory is { } directory)
        {
            arguments.AddRange(["--directory", directory]);
        }
        else
        {
            arguments.AddRange(spec.Files);
        }

        return new ClientCommand("dotnet", arguments, environment);
    }

    /// <summary>The SDKs' versions, for the report.</summary>
    public string Versions()
    {
        var node = "missing";
        if (File.Exists(NodePackage))
        {
            using var package = JsonDocument.Parse(File.ReadAllText(NodePackage));
            node = package.RootElement.GetProperty("version").GetString();
        }

        var awsSdk = Path.Combine(Path.GetDirectoryName(options.AwsSdkPeer) ?? "", "AWSSDK.S3.dll");
        var transferUtility = File.Exists(awsSdk) ? FileVersionInfo.GetVersionInfo(awsSdk).FileVersion : "missing";
        return $"esdk-obs-nodejs {node} (node {Peers.FirstLine("node", "--version")}); AWSSDK.S3 {transferUtility}";
    }
}
