using System.Globalization;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Transfer;
using ObsBuildTasks.Benchmark.AwsSdkPeer;

// Benchmark peer: uploads with the AWS SDK for .NET's TransferUtility, configured for an S3-compatible store on
// plain http (Swift's s3api, the benchmark's null sink).
//
//   ObsBuildTasks.Benchmark.AwsSdkPeer --endpoint URL --bucket B --key-prefix P --part-size N --task-num N
//                                      [--region R] (--directory DIR | FILE...)
//
// Credentials come from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY. A folder goes in one UploadDirectoryAsync call
// (files concurrently), files one UploadAsync call each, one after another. Prints one "done KEY" line per file (a
// folder: "done PREFIX files=N"); exits 1 on a failure.
var (options, files) = PeerArguments.Parse(args);
var bucket = options.Required("bucket");
var prefix = options.GetValueOrDefault("key-prefix", "");
var partSize = long.Parse(options.Required("part-size"), CultureInfo.InvariantCulture);
var taskNum = int.Parse(options.Required("task-num"), CultureInfo.InvariantCulture);
var config = new AmazonS3Config
{
    ServiceURL = options.Required("endpoint"),
    // Swift's s3api has no virtual-host addressing (an IP endpoint would get path style anyway; a host name would not).
    ForcePathStyle = true,
    AuthenticationRegion = options.GetValueOrDefault("region", "us-east-1"),
    // The default (WHEN_SUPPORTED) computes a CRC32 of every body and sends it (an aws-chunked trailer, or with chunk
    // encoding off an x-amz-checksum-crc32 header) that Swift 2.30 does not check: WHEN_REQUIRED spares that pass.
    RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
};
var credentials = new BasicAWSCredentials(
    Environment.GetEnvironmentVariable("AWS_ACCESS_KEY_ID") ?? "", Environment.GetEnvironmentVariable("AWS_SECRET_ACCESS_KEY") ?? "");
using var client = new UnchunkedS3Client(credentials, config);
// No DisablePayloadSigning (UNSIGNED-PAYLOAD): the SDK refuses it over http ("When DisablePayloadSigning is true, the
// request must be sent over HTTPS."), so each body's SHA-256 is computed and signed, as on https without that setting.
using var transfer = new TransferUtility(client, new TransferUtilityConfig
{
    ConcurrentServiceRequests = taskNum,
    MinSizeBeforePartUpload = partSize,
});

try
{
    if (options.TryGetValue("directory", out var directory))
    {
        var request = new TransferUtilityUploadDirectoryRequest
        {
            BucketName = bucket,
            Directory = directory,
            KeyPrefix = prefix,
            SearchOption = SearchOption.TopDirectoryOnly,
            UploadFilesConcurrently = true,
        };
        request.UploadDirectoryFileRequestEvent += (_, e) => e.UploadRequest.PartSize = partSize;
        await transfer.UploadDirectoryAsync(request);
        Console.WriteLine($"done {prefix} files={Directory.GetFiles(directory).Length}");
    }

    foreach (var file in files)
    {
        var request = new TransferUtilityUploadRequest { BucketName = bucket, Key = prefix + Path.GetFileName(file), FilePath = file, PartSize = partSize };
        await transfer.UploadAsync(request);
        Console.WriteLine($"done {request.Key}");
    }

    return 0;
}
catch (AmazonServiceException exception)
{
    Console.WriteLine($"failed: {exception.StatusCode} {exception.ErrorCode} {exception.Message}");
    return 1;
}
catch (AmazonClientException exception)
{
    Console.WriteLine($"failed: {exception.Message}");
    return 1;
}
