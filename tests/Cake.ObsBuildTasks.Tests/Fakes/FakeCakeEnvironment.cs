using Cake.Core;
using Cake.Core.IO;

namespace Cake.ObsBuildTasks.Tests.Fakes;

/// <summary>A working directory and a fixed set of environment variables; the process's own variables are not seen.</summary>
internal sealed class FakeCakeEnvironment : ICakeEnvironment
{
    private readonly IReadOnlyDictionary<string, string> _variables;

    public FakeCakeEnvironment(string workingDirectory, IReadOnlyDictionary<string, string> variables)
    {
        WorkingDirectory = new DirectoryPath(workingDirectory);
        _variables = variables;
    }

    public DirectoryPath WorkingDirectory { get; set; }

    public string? GetEnvironmentVariable(string variable) => _variables.GetValueOrDefault(variable);

    public IDictionary<string, string> GetEnvironmentVariables() => new Dictionary<string, string>(_variables);

    public DirectoryPath UserHomeDirectory => throw new NotSupportedException();

    public DirectoryPath ApplicationRoot => throw new NotSupportedException();

    public ICakePlatform Platform => throw new NotSupportedException();

    public ICakeRuntime Runtime => throw new NotSupportedException();

    public DirectoryPath GetSpecialPath(SpecialPath path) => throw new NotSupportedException();
}
