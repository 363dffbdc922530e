using Cake.Core;
using Cake.Core.Configuration;
using Cake.Core.Diagnostics;
using Cake.Core.IO;
using Cake.Core.Tooling;

namespace Cake.ObsBuildTasks.Tests.Fakes;

/// <summary>
/// The Cake context an alias sees, without Cake: the real file system, a working directory and environment variables
/// of the test's choosing, and a log that keeps every message. The services the addin does not use are not provided.
/// </summary>
internal sealed class FakeCakeContext : ICakeContext
{
    public FakeCakeContext(string workingDirectory, IReadOnlyDictionary<string, string> variables)
    {
        Environment = new FakeCakeEnvironment(workingDirectory, variables);
    }

    public FakeCakeEnvironment Environment { get; }

    public FakeCakeLog Log { get; } = new();

    public IFileSystem FileSystem { get; } = new FileSystem();

    ICakeEnvironment ICakeContext.Environment => Environment;

    ICakeLog ICakeContext.Log => Log;

    public IGlobber Globber => throw new NotSupportedException();

    public ICakeArguments Arguments => throw new NotSupportedException();

    public IProcessRunner ProcessRunner => throw new NotSupportedException();

    public IRegistry Registry => throw new NotSupportedException();

    public IToolLocator Tools => throw new NotSupportedException();

    public ICakeDataResolver Data => throw new NotSupportedException();

    public ICakeConfiguration Configuration => throw new NotSupportedException();

    public IToolInstaller ToolInstaller => throw new NotSupportedException();

    public IServiceProvider ServiceProvider => throw new NotSupportedException();
}
