namespace ObsBuildTasks.Testing.Faults;

/// <summary>How the client connection goes on once an exchange is over.</summary>
internal enum ExchangeEnding
{
    /// <summary>Serve the next request.</summary>
    KeepAlive,

    /// <summary>Close normally (FIN), after any response already written.</summary>
    Close,

    /// <summary>Reset (RST): the client sees "connection reset", never a clean end of response.</summary>
    Abort,
}
