namespace ObsBuildTasks.Testing.Faults;

/// <summary>
/// The rules active in one proxy, each with its own budget state. Thread-safe: decisions are serialized, so budgets
/// such as "first N" hold exactly even for concurrent requests.
/// </summary>
internal sealed class FaultRuleSet
{
    private readonly Lock _lock = new();
    private readonly List<(FaultRule Rule, Func<bool> Budget)> _rules = [];

    /// <summary>Appends a rule with a fresh budget.</summary>
    public void Add(FaultRule rule)
    {
        lock (_lock)
        {
            _rules.Add((rule, rule.Budget.CreateCounter()));
        }
    }

    /// <summary>Removes all rules.</summary>
    public void Clear()
    {
        lock (_lock)
        {
            _rules.Clear();
        }
    }

    /// <summary>Decides the fault for one request, counting it against the budgets of the rules it matches.</summary>
    /// <returns>The fault to apply, or <see langword="null"/> to pass the request through.</returns>
    public Fault? Decide(string method, string target)
    {
        var query = QueryString.Parse(target);
        lock (_lock)
        {
            foreach (var (rule, budget) in _rules)
            {
                if (rule.Matches(method, target, query) && budget())
                {
                    return rule.Fault;
                }
            }
        }

        return null;
    }
}
