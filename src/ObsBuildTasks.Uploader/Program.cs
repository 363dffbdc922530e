// obs-uploader: runs one upload order that a front end writes to its input and answers with message lines.
// TEMPORARY body until the front ends' side (UploaderChild) is on main: one file, from the command line.
using ObsBuildTasks;

if (args.Length != 3)
{
    Console.Error.WriteLine("usage: obs-uploader BUCKET KEY FILE (OBS_ENDPOINT, OBS_ACCESS_KEY_ID, OBS_SECRET_ACCESS_KEY)");
    return 2;
}

using var client = new ObsClient(new ObsClientOptions
{
    Endpoint = Environment.GetEnvironmentVariable("OBS_ENDPOINT") ?? "",
    AccessKeyId = Environment.GetEnvironmentVariable("OBS_ACCESS_KEY_ID") ?? "",
    SecretAccessKey = Environment.GetEnvironmentVariable("OBS_SECRET_ACCESS_KEY") ?? "",
});
var result = await client.UploadFileAsync(new UploadFileRequest(args[0], args[1], args[2]) { EnableCheckpoint = true });
Console.WriteLine(result.ETag);
return 0;
