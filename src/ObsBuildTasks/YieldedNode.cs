using Microsoft.Build.Framework;

namespace ObsBuildTasks.MSBuild;

/// <summary>Yields the build node for as long as it lives, so other projects can build during a long upload.</summary>
/// <remarks>While yielded, the environment and the current directory belong to whatever else runs on the node: read
/// them before. The task host of <c>TaskHostFactory</c> treats yielding as a no-op.</remarks>
internal sealed class YieldedNode : IDisposable
{
    private readonly IBuildEngine3? _engine;

    public YieldedNode(IBuildEngine engine)
    {
        _engine = engine as IBuildEngine3;
        _engine?.Yield();
    }

    public void Dispose() => _engine?.Reacquire();
}
