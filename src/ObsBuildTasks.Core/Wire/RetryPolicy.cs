using System.Net;
using Polly;
using Polly.Retry;

namespace ObsBuildTasks.Wire;

/// <summary>Which failures are worth another attempt, and the Polly pipeline that makes them.</summary>
internal static class RetryPolicy
{
    private static readonly HashSet<string> TransientCodes = new(StringComparer.Ordinal)
    {
        "RequestTimeout", "SlowDown", "InternalError", "ServiceUnavailable", "BadDigest",
        "RequestTimeTooSkewed", ObsErrorCodes.ETagMismatch, "OperationAborted",
    };

    /// <summary>Whether <paramref name="exception"/> is transient: a transport failure, an attempt that went idle,
    /// a 5xx or 408, throttling, a damaged body, or a clock skew that the client has just corrected.</summary>
    public static bool IsTransient(Exception exception) => exception switch
    {
        ObsException obs => obs.StatusCode is null
            || (int)obs.StatusCode >= 500
            || obs.StatusCode == HttpStatusCode.RequestTimeout
            || (obs.ErrorCode is not null && TransientCodes.Contains(obs.ErrorCode)),
        HttpRequestException or IOException or TimeoutException => true,
        _ => false,
    };

    /// <summary>Exponential backoff with jitter, retrying transient failures only, logging each retry.</summary>
    public static ResiliencePipeline Create(int maxRetries, TimeSpan baseDelay, Action<ObsLogLevel, string>? log) =>
        maxRetries == 0 ? ResiliencePipeline.Empty : new ResiliencePipelineBuilder()
            .AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = maxRetries,
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is { } exception && IsTransient(exception)),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = baseDelay,
                MaxDelay = TimeSpan.FromSeconds(30),
                OnRetry = args =>
                {
                    log?.Invoke(ObsLogLevel.Warning,
                        $"Retrying after {args.RetryDelay.TotalSeconds:0.0} s (attempt {args.AttemptNumber + 2}): {Describe(args.Outcome.Exception)}");
                    return ValueTask.CompletedTask;
                },
            })
            .Build();

    private static string Describe(Exception? exception) => exception switch
    {
        ObsException obs => obs.Message,
        null => "unknown failure",
        _ => $"{exception.GetType().Name}: {exception.Message}",
    };
}
