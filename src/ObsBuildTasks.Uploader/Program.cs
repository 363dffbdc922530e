// obs-uploader: the engine and the front-end core compiled ahead of time to a native executable (NativeAOT). A front
// end (the MSBuild task, the Cake addin) starts it, writes one upload order as a JSON line to its standard input and
// reads JSON message lines from its standard output; UploaderChild does all of it. Exit code 0: every file uploaded;
// 1: some failed or the call was cancelled; 2: no order received.
using ObsBuildTasks.FrontEnd.OutOfProcess;

return await UploaderChild.RunAsync(Console.OpenStandardInput(), Console.OpenStandardOutput());
