namespace Tollgate.Governance.Secrets;

/// <summary>
/// Where Tollgate's secrets come from (seed 000 §8.2): Key Vault in Azure (read with the host's managed identity),
/// local.settings.json or the environment locally. Every value read is registered with the <see cref="SecretRedactor"/>
/// before it is returned, and every read is logged by name and purpose, never by value.
/// </summary>
public interface ISecretStore
{
    /// <summary>The secret <paramref name="name"/>, or null when the store has none by that name.</summary>
    /// <param name="purpose">What it is for, for the access log (seed 000 §8.2: who, when, for what action).</param>
    Task<string?> GetAsync(string name, string purpose, CancellationToken cancellationToken);
}
