namespace ObsBuildTasks.Testing.Faults;

/// <summary>A condition on one query parameter of the request target, as part of a <see cref="FaultRule"/>.</summary>
/// <param name="Name">The parameter name, compared ordinally (S3 parameters are case-sensitive), e.g. <c>partNumber</c>.</param>
/// <param name="Value">
/// When not <see langword="null"/>, the (URL-decoded) value the parameter must have; otherwise any value, or none
/// (as in <c>?uploads</c>), is accepted.
/// </param>
/// <param name="MustBePresent">
/// <see langword="true"/> to require the parameter (with <paramref name="Value"/>, if given);
/// <see langword="false"/> to require that it is absent.
/// </param>
public sealed record QueryCondition(string Name, string? Value, bool MustBePresent)
{
    internal bool IsSatisfiedBy(IReadOnlyList<KeyValuePair<string, string?>> query)
    {
        var present = query.Any(p => string.Equals(p.Key, Name, StringComparison.Ordinal)
            && (Value is null || string.Equals(p.Value, Value, StringComparison.Ordinal)));
        return present == MustBePresent;
    }
}
