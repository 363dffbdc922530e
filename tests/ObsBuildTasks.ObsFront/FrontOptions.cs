namespace ObsBuildTasks.ObsFront;

/// <summary>How the front is set up; eng/object-store.sh passes it all as environment variables (see eng/README.md).</summary>
/// <param name="Endpoint">The front's endpoint, e.g. <c>http://localhost:18081</c>: it listens on loopback at this
/// port, and <c>{bucket}.{host}</c> names a virtual-hosted bucket.</param>
/// <param name="Credentials">The access keys it accepts, by access key id.</param>
/// <param name="Store">The store it forwards to.</param>
public sealed record FrontOptions(Uri Endpoint, IReadOnlyDictionary<string, Credential> Credentials, StoreOptions Store)
{
    /// <summary>Reads <c>OBS_FRONT_*</c> (the front) and <c>OBS_TEST_*</c> (the store) variables.</summary>
    /// <exception cref="InvalidOperationException">A variable is missing.</exception>
    public static FrontOptions FromEnvironment(Func<string, string?> variable)
    {
        ArgumentNullException.ThrowIfNull(variable);
        string Required(string name) => variable(name) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException($"{name} is not set (eng/object-store.sh start sets it).");
        Credential[] credentials =
        [
            new(Required("OBS_FRONT_ACCESS_KEY_ID"), Required("OBS_FRONT_SECRET_ACCESS_KEY"), null),
            new(Required("OBS_FRONT_TEMP_ACCESS_KEY_ID"), Required("OBS_FRONT_TEMP_SECRET_ACCESS_KEY"), Required("OBS_FRONT_SECURITY_TOKEN")),
        ];
        return new FrontOptions(new Uri(Required("OBS_FRONT_ENDPOINT")), credentials.ToDictionary(credential => credential.AccessKeyId),
            new StoreOptions(new Uri(Required("OBS_TEST_ENDPOINT")), Required("OBS_TEST_ACCESS_KEY_ID"),
                Required("OBS_TEST_SECRET_ACCESS_KEY"), Required("OBS_TEST_REGION")));
    }
}
