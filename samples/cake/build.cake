// The smallest real use of Cake.ObsBuildTasks: upload this repository's NuGet packages to an OBS bucket.
//
//   cd samples/cake && dotnet cake --obs-endpoint=https://obs.cn-north-4.myhuaweicloud.com --obs-bucket=my-bucket
//
// Credentials come from OBS_ACCESS_KEY_ID and OBS_SECRET_ACCESS_KEY; the signature is negotiated with the service. Cake reads the nuget.config of the folder it runs
// in: this one finds the addin in ../../artifacts/packages (run `dotnet cake --target=Pack` at the root first). A
// project of your own keeps just the #addin line, and the package comes from nuget.org. The root build.cake's Publish
// target runs this script.
#addin nuget:?package=Cake.ObsBuildTasks&version=1.0.0

var packages = Argument("packages", "../../artifacts/packages");

Task("Upload").Does(() =>
{
    var results = ObsUploadFile(Argument<string>("obs-bucket"), GetFiles($"{packages}/*.nupkg"), new ObsUploadFileSettings
    {
        Endpoint = Argument<string>("obs-endpoint", null),
        ObjectKeyPrefix = "packages/",
        TaskNum = 4,
        SkipUnchanged = true,
    });
    foreach (var result in results)
    {
        Information("{0} -> {1} (ETag {2})", System.IO.Path.GetFileName(result.UploadFile), result.Location, result.ETag);
    }
});

RunTarget(Argument("target", "Upload"));
