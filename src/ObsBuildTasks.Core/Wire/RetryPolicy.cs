using System.Net;
using Polly;
using Polly.Retry;

namespace ObsBuildTasks.Wire;

/// <summary>Which failures are worth another attempt, and the Polly pipeline that makes them.</summary>
internal static class RetryPolicy
{
    /// <summary>Where an operation's retries are reported; carried in Polly's context so one pipeline serves all calls.</summary>
    public static readonly ResiliencePropertyKey<RetryListener> ListenerKey = new("ObsBuildTasks.RetryListener");

    private static readonly HashSet<string> TransientServiceCodes = new(StringComparer.Ordinal)
    {
        "RequestTimeout", "SlowDown", "InternalError", "ServiceUnavailable", "BadDigest", "OperationAborted",
    };

    /// <summary>Whether <paramref name="exception"/> is worth another attempt: a transport failure, an idle attempt, an
    /// answer that was cut or garbled, a part damaged on the way, a 5xx or 408, throttling, or a clock skew the client
    /// has just corrected. Never a redirect, a refusal, or a local problem.</summary>
    public static bool IsTransient(ObsException exception) => exception.Kind switch
    {
        ObsErrorKind.Transport or ObsErrorKind.IdleTimeout or ObsErrorKind.MalformedAnswer or ObsErrorKind.IntegrityMismatch => true,
        ObsErrorKind.Service => exception.StatusCode is { } status && ((int)status >= 500 || status == HttpStatusCode.RequestTimeout)
            || (exception.ErrorCode is { } code && TransientServiceCodes.Contains(code))
            || exception.ClockCorrected,
        _ => false,
    };

    /// <summary>Exponential backoff with jitter, retrying transient failures only, telling each retry to the listener
    /// in the execution's context.</summary>
    public static ResiliencePipeline Create(int maxRetries, TimeSpan baseDelay) =>
        maxRetries == 0 ? ResiliencePipeline.Empty : new ResiliencePipelineBuilder()
            .AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = maxRetries,
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is ObsException exception && IsTransient(exception)),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = baseDelay,
                MaxDelay = TimeSpan.FromSeconds(30),
                OnRetry = args =>
                {
                    if (args.Context.Properties.TryGetValue(ListenerKey, out var listener))
                    {
                        listener((ObsException)args.Outcome.Exception!, args.AttemptNumber + 2, args.RetryDelay);
                    }

                    return ValueTask.CompletedTask;
                },
            })
            .Build();
}

/// <summary>Told of each retry: why the attempt failed, the number of the next attempt, and the wait before it.</summary>
internal delegate void RetryListener(ObsException cause, int nextAttempt, TimeSpan delay);
