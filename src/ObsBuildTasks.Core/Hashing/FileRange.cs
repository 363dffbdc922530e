using ObsBuildTasks.Transfer;

namespace ObsBuildTasks.Hashing;

/// <summary>A range of bytes of an open file.</summary>
internal readonly record struct FileRange(LocalFile File, ByteRange Range);
