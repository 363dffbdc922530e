namespace ObsBuildTasks.Testing;

/// <summary>Keeps every event the engine raises, for tests that assert on what happened rather than on message text.</summary>
public sealed class RecordingObserver : IUploadObserver
{
    private readonly Lock _lock = new();
    private readonly List<UploadEvent> _events = [];

    /// <summary>Every event so far, in the order they came.</summary>
    public IReadOnlyList<UploadEvent> Events
    {
        get
        {
            lock (_lock)
            {
                return [.. _events];
            }
        }
    }

    /// <summary>The events of one type so far.</summary>
    public IReadOnlyList<T> Of<T>()
        where T : UploadEvent => [.. Events.OfType<T>()];

    /// <inheritdoc />
    public void OnEvent(UploadEvent uploadEvent)
    {
        lock (_lock)
        {
            _events.Add(uploadEvent);
        }
    }
}
