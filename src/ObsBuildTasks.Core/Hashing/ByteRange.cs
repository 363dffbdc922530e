namespace ObsBuildTasks.Hashing;

/// <summary>A range of bytes of a file: where it starts and how long it is.</summary>
internal readonly record struct ByteRange(long Offset, long Length);
