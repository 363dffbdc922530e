using System.Buffers.Binary;

namespace ObsBuildTasks.Testing.Packages;

/// <summary>obs-uploader as the packages ship it (eng/NativeUploader.targets): Linux x64 executables at
/// <c>uploader/linux-x64/obs-uploader</c> (x86-64-v3) and <c>uploader/linux-x64/obs-uploader-x86-64-v4</c> in the
/// engine's folder, where the front ends look for them.</summary>
public static class NativeUploaderFile
{
    /// <summary>The x86-64-v3 build's path relative to the engine's folder.</summary>
    public const string BesideEngine = "uploader/linux-x64/obs-uploader";

    /// <summary>The x86-64-v4 build's path relative to the engine's folder.</summary>
    public const string X86_64V4BesideEngine = BesideEngine + "-x86-64-v4";

    private const string EngineFileName = "ObsBuildTasks.Core.dll";

    /// <summary>Both builds' paths relative to the engine's folder.</summary>
    public static IReadOnlyList<string> Builds { get; } = [BesideEngine, X86_64V4BesideEngine];

    /// <summary>Both builds' paths beside the engine among <paramref name="assemblies"/> (package paths with <c>/</c>).</summary>
    public static IEnumerable<string> BesideEngineAmong(IEnumerable<string> assemblies)
    {
        var engine = assemblies.Single(path => path == EngineFileName || path.EndsWith("/" + EngineFileName, StringComparison.Ordinal));
        return Builds.Select(build => engine[..^EngineFileName.Length] + build);
    }

    /// <summary>Whether <paramref name="file"/> is an ELF executable for Linux x64: 64-bit little-endian, machine
    /// x86-64, and either a fixed-address executable or a position-independent one (a shared object that names a
    /// program interpreter, which a library does not).</summary>
    public static bool IsLinuxX64Executable(ReadOnlySpan<byte> file)
    {
        const ushort Executable = 2, SharedObject = 3, X86_64 = 62;
        const uint ProgramInterpreter = 3;
        if (file.Length < 64 || !file[..4].SequenceEqual("\u007fELF"u8) || file[4] != 2 || file[5] != 1
            || BinaryPrimitives.ReadUInt16LittleEndian(file[18..]) != X86_64)
        {
            return false;
        }

        var type = BinaryPrimitives.ReadUInt16LittleEndian(file[16..]);
        var headers = (long)BinaryPrimitives.ReadUInt64LittleEndian(file[32..]);
        var headerSize = BinaryPrimitives.ReadUInt16LittleEndian(file[54..]);
        var headerCount = BinaryPrimitives.ReadUInt16LittleEndian(file[56..]);
        var interpreted = false;
        for (var index = 0; index < headerCount && headers + ((index + 1L) * headerSize) <= file.Length; index++)
        {
            interpreted |= BinaryPrimitives.ReadUInt32LittleEndian(file[(int)(headers + (index * headerSize))..]) == ProgramInterpreter;
        }

        return type == Executable || (type == SharedObject && interpreted);
    }
}
