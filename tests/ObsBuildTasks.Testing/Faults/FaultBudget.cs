namespace ObsBuildTasks.Testing.Faults;

/// <summary>
/// Which of the requests matching a <see cref="FaultRule"/> actually get the fault. Each rule added to a proxy keeps
/// its own count of matching requests, so budgets are deterministic for a given order of requests.
/// </summary>
public abstract record FaultBudget
{
    private protected FaultBudget()
    {
    }

    /// <summary>Every matching request.</summary>
    public static FaultBudget Always { get; } = new AlwaysBudget();

    /// <summary>The first <paramref name="count"/> matching requests, then none.</summary>
    public static FaultBudget FirstN(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        return new FirstNBudget(count);
    }

    /// <summary>The <paramref name="interval"/>-th, 2×<paramref name="interval"/>-th, … matching requests (1-based).</summary>
    public static FaultBudget EveryNth(int interval)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(interval, 1);
        return new EveryNthBudget(interval);
    }

    /// <summary>
    /// Each matching request with probability <paramref name="fraction"/>, drawn from a <see cref="Random"/> seeded
    /// with <paramref name="seed"/>: the same seed and request order give the same choices.
    /// </summary>
    public static FaultBudget Fraction(double fraction, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(fraction);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(fraction, 1.0);
        return new FractionBudget(fraction, seed);
    }

    /// <summary>
    /// Creates the per-rule state that decides, request by request, whether the fault applies. The returned function is
    /// called once per matching request and is not thread-safe: <see cref="FaultRuleSet"/> calls it under its lock.
    /// </summary>
    internal abstract Func<bool> CreateCounter();

    private sealed record AlwaysBudget : FaultBudget
    {
        internal override Func<bool> CreateCounter() => static () => true;
    }

    private sealed record FirstNBudget(int Count) : FaultBudget
    {
        internal override Func<bool> CreateCounter()
        {
            var seen = 0;
            return () => ++seen <= Count;
        }
    }

    private sealed record EveryNthBudget(int Interval) : FaultBudget
    {
        internal override Func<bool> CreateCounter()
        {
            var seen = 0;
            return () => ++seen % Interval == 0;
        }
    }

    private sealed record FractionBudget(double Probability, int Seed) : FaultBudget
    {
        internal override Func<bool> CreateCounter()
        {
            var random = new Random(Seed);
            return () => random.NextDouble() < Probability;
        }
    }
}
