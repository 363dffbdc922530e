using System.Buffers.Binary;

namespace ObsBuildTasks.Testing.Packages;

/// <summary>obs-uploader as the packages ship it (eng/NativeUploader.targets): a Linux x64 executable at
/// <c>uploader/linux-x64/obs-uploader</c> in the engine's folder, where the front ends look for it.</summary>
public static class NativeUploaderFile
{
    /// <summary>Its path relative to the engine's folder.</summary>
    public const string BesideEngine = "uploader/linux-x64/obs-uploader";

    private const string EngineFileName = "ObsBuildTasks.Core.dll";

    /// <summary>Its path beside the engine among <paramref name="assemblies"/> (package paths with <c>/</c>).</summary>
    public static string BesideEngineAmong(IEnumerable<string> assemblies)
    {
        var engine = assemblies.Single(path => path == EngineFileName || path.EndsWith("/" + EngineFileName, StringComparison.Ordinal));
        return engine[..^EngineFileName.Length] + BesideEngine;
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
