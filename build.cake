// The repository's build: dotnet tool restore && dotnet cake [--target=Build|Test|Pack|Publish] [--configuration=Release]
//
//   Build    builds the solution.
//   Test     runs eng/test.sh: starts the local object store, runs every test project, counts the results.
//   Pack     packs ObsBuildTasks and Cake.ObsBuildTasks into artifacts/packages/.
//   Publish  uploads artifacts/packages/*.nupkg with this repository's own Cake addin, by running
//            samples/cake/build.cake against the freshly packed addin. Target: the local store's bucket obs-samples,
//            unless an endpoint is given (--obs-endpoint or OBS_ENDPOINT; bucket: --obs-bucket or OBS_BUCKET;
//            credentials: OBS_ACCESS_KEY_ID, OBS_SECRET_ACCESS_KEY and OBS_SECURITY_TOKEN, never arguments). The
//            signature is negotiated with the service.
//
// This script cannot #addin Cake.ObsBuildTasks itself: directives are resolved before any task runs, when the package
// does not exist yet. Publish therefore packs first and then runs a second script that loads the package.

var target = Argument("target", "Build");
var configuration = Argument("configuration", "Release");

var solution = File("./ObsBuildTasks.sln");
// Built as CI builds: deterministic, with the PDBs' source paths under /_/ (Source Link maps them to the commit).
var ciBuild = new DotNetMSBuildSettings().WithProperty("ContinuousIntegrationBuild", "true");
var packages = Directory("./artifacts/packages");
var publishScript = File("./samples/cake/build.cake");

Task("Build")
    .Does(() => DotNetBuild(solution, new DotNetBuildSettings { Configuration = configuration, MSBuildSettings = ciBuild }));

Task("Test")
    .Does(() =>
{
    // The README's test command: starts the store, runs every test project, prints "N passed, N failed".
    RunBash("eng/test.sh");
});

Task("Pack")
    .IsDependentOn("Build")
    .Does(() =>
{
    CleanDirectory(packages);
    DotNetPack(solution, new DotNetPackSettings { Configuration = configuration, NoBuild = true, OutputDirectory = packages, MSBuildSettings = ciBuild });
});

Task("Publish")
    .IsDependentOn("Pack")
    .Does(() =>
{
    var endpoint = ArgumentOrVariable("obs-endpoint", "OBS_ENDPOINT");
    var settings = new CakeSettings
    {
        // Cake reads nuget.config from the working directory: the sample's adds artifacts/packages as a feed.
        WorkingDirectory = publishScript.Path.GetDirectory(),
        Verbosity = Context.Log.Verbosity,
        Arguments = { ["obs-bucket"] = ArgumentOrVariable("obs-bucket", "OBS_BUCKET") ?? "obs-samples" },
        EnvironmentVariables = new Dictionary<string, string>(),
    };
    if (endpoint is null)
    {
        // The local store of eng/object-store.sh: its fixed test credentials are no secret.
        RunBash("eng/object-store.sh", "start");
        settings.Arguments["obs-endpoint"] = "http://127.0.0.1:18080";
        settings.EnvironmentVariables["OBS_ACCESS_KEY_ID"] = "test:tester";
        settings.EnvironmentVariables["OBS_SECRET_ACCESS_KEY"] = "testing";
    }
    else
    {
        settings.Arguments["obs-endpoint"] = endpoint;
    }

    // Load the package just packed, not an older build of the same version: a private NuGet cache and addin folder.
    var scratch = Directory("./artifacts/publish");
    CleanDirectory(scratch);
    settings.EnvironmentVariables["NUGET_PACKAGES"] = MakeAbsolute(scratch + Directory("nuget")).FullPath;
    settings.Arguments["paths_addins"] = MakeAbsolute(scratch + Directory("addins")).FullPath;
    settings.Arguments["packages"] = MakeAbsolute(packages).FullPath;
    CakeExecuteScript(publishScript, settings);
});

RunTarget(target);

string ArgumentOrVariable(string argument, string variable) =>
    HasArgument(argument) ? Argument<string>(argument) : EnvironmentVariable(variable);

void RunBash(string script, string arguments = "")
{
    var exitCode = StartProcess("bash", new ProcessSettings { Arguments = $"{script} {arguments}".Trim() });
    if (exitCode != 0)
    {
        throw new CakeException($"bash {script} {arguments} failed with exit code {exitCode}.");
    }
}
