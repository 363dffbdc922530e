namespace ObsBuildTasks.Transfer;

/// <summary>Hands events to the caller's observer; an observer that throws never fails an upload.</summary>
internal sealed class EventPublisher(IUploadObserver? observer)
{
    public void Publish(UploadEvent uploadEvent)
    {
        try
        {
            observer?.OnEvent(uploadEvent);
        }
#pragma warning disable CA1031 // The observer is the caller's code: whatever it throws must not break the transfer.
        catch (Exception)
#pragma warning restore CA1031
        {
        }
    }
}
