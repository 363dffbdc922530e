namespace ObsBuildTasks.Testing.Faults;

/// <summary>Thread-safe record of every request a proxy received, updated while requests are processed.</summary>
internal sealed class RequestLog
{
    private readonly Lock _lock = new();
    private readonly List<Entry> _entries = [];
    private readonly List<Waiter> _waiters = [];
    private int _completed;
    private int _inFlight;
    private int _peakInFlight;
    private long _bodyBytesForwarded;

    /// <summary>Total body bytes written to the upstream, over all requests.</summary>
    public long BodyBytesForwarded => Interlocked.Read(ref _bodyBytesForwarded);

    /// <summary>The most requests that were in flight at once (see <see cref="FaultInjectingProxy.MaxConcurrentRequests"/>).</summary>
    public int PeakInFlight
    {
        get
        {
            lock (_lock)
            {
                return _peakInFlight;
            }
        }
    }

    /// <summary>Records a newly received request.</summary>
    public Entry Start(long connectionId, HttpRequestHead request, Fault? fault)
    {
        lock (_lock)
        {
            var entry = new Entry(this, new ProxiedRequest
            {
                Sequence = _entries.Count + 1,
                ConnectionId = connectionId,
                Method = request.Method,
                PathAndQuery = request.Target,
                Headers = [.. request.Head.Headers.Select(h => new KeyValuePair<string, string>(h.Name, h.Value))],
                DeclaredContentLength = request.ContentLength,
                BodyBytesReceived = 0,
                BodyBytesForwarded = 0,
                ResponseBodyBytesSent = 0,
                Fault = fault,
                UpstreamStatus = null,
                RelayedStatus = null,
                Completed = false,
            });
            _entries.Add(entry);
            _inFlight++;
            _peakInFlight = Math.Max(_peakInFlight, _inFlight);
            WakeWaiters();
            return entry;
        }
    }

    /// <summary>An immutable copy of all records, in arrival order.</summary>
    public IReadOnlyList<ProxiedRequest> Snapshot()
    {
        lock (_lock)
        {
            return [.. _entries.Select(e => e.Current)];
        }
    }

    /// <summary>Completes once at least <paramref name="count"/> requests have been received (their heads read).</summary>
    public Task WaitForReceivedAsync(int count, CancellationToken cancellationToken) =>
        WaitAsync(new Waiter(() => _entries.Count, count), cancellationToken);

    /// <summary>Completes once at least <paramref name="count"/> requests have been marked completed.</summary>
    public Task WaitForCompletedAsync(int count, CancellationToken cancellationToken) =>
        WaitAsync(new Waiter(() => _completed, count), cancellationToken);

    private async Task WaitAsync(Waiter waiter, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (waiter.IsSatisfied)
            {
                return;
            }

            _waiters.Add(waiter);
        }

        try
        {
            await waiter.Done.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            lock (_lock)
            {
                _waiters.Remove(waiter);
            }
        }
    }

    /// <summary>Wakes the waiters whose count has been reached. Call under the lock.</summary>
    private void WakeWaiters()
    {
        foreach (var waiter in _waiters.Where(w => w.IsSatisfied))
        {
            waiter.Done.TrySetResult();
        }
    }

    private void MarkCompleted(Entry entry)
    {
        lock (_lock)
        {
            if (entry.Current.Completed)
            {
                return;
            }

            entry.Current = entry.Current with { Completed = true };
            EndInFlight(entry);
            _completed++;
            WakeWaiters();
        }
    }

    /// <summary>The request no longer counts as in flight: its answer is about to be sent, or the exchange is over.
    /// Call under the lock.</summary>
    private void EndInFlight(Entry entry)
    {
        if (!entry.Answered)
        {
            entry.Answered = true;
            _inFlight--;
        }
    }

    /// <summary>Someone waiting for a count (read under the log's lock) to reach <paramref name="count"/>.</summary>
    private sealed class Waiter(Func<int> progress, int count)
    {
        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public bool IsSatisfied => progress() >= count;
    }

    /// <summary>The live record of one request; every update is made under the log's lock.</summary>
    internal sealed class Entry(RequestLog log, ProxiedRequest initial)
    {
        /// <summary>The record as it stands.</summary>
        public ProxiedRequest Current { get; set; } = initial;

        /// <summary>The request's sequence number.</summary>
        public long Sequence { get; } = initial.Sequence;

        /// <summary>Whether the request stopped counting as in flight.</summary>
        public bool Answered { get; set; }

        /// <summary>Counts body bytes read from the client and, when <paramref name="forwarded"/>, written upstream.</summary>
        public void AddBody(int bytes, bool forwarded)
        {
            Update(r => r with
            {
                BodyBytesReceived = r.BodyBytesReceived + bytes,
                BodyBytesForwarded = forwarded ? r.BodyBytesForwarded + bytes : r.BodyBytesForwarded,
            });
            if (forwarded)
            {
                Interlocked.Add(ref log._bodyBytesForwarded, bytes);
            }
        }

        /// <summary>Counts response body bytes written to the client.</summary>
        public void AddResponseBody(int bytes) => Update(r => r with { ResponseBodyBytesSent = r.ResponseBodyBytesSent + bytes });

        /// <summary>Records the status of the upstream's final response.</summary>
        public void SetUpstreamStatus(int status) => Update(r => r with { UpstreamStatus = status });

        /// <summary>Records the status sent to the client; call before sending, so a client that sees it sees the record.</summary>
        public void SetRelayedStatus(int status)
        {
            lock (log._lock)
            {
                Current = Current with { RelayedStatus = status };
                log.EndInFlight(this);
            }
        }

        /// <summary>Marks the exchange finished and wakes waiters.</summary>
        public void Complete() => log.MarkCompleted(this);

        private void Update(Func<ProxiedRequest, ProxiedRequest> change)
        {
            lock (log._lock)
            {
                Current = change(Current);
            }
        }
    }
}
