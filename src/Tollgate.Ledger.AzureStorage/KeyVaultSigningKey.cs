using Azure;
using Azure.Identity;
using Azure.Security.KeyVault.Secrets;
using Tollgate.Ledger.Notes;

namespace Tollgate.Ledger.AzureStorage;

/// <summary>
/// The ledger's signing key from a Key Vault secret holding the PKCS#8 PEM of a P-256 private key (docs/LEDGER.md:
/// a secret, not a Key Vault key, because a note signature is one ECDSA call over the exact note bytes).
/// </summary>
/// <remarks>
/// Errors name the secret and the vault, and never carry the secret's value or anything parsed from it: a failure
/// to parse is reported by its note reason alone, without the inner exception.
/// </remarks>
public static class KeyVaultSigningKey
{
    /// <param name="keyName">The signer's key name: the ledger's origin.</param>
    /// <exception cref="LedgerException">
    /// <see cref="LedgerReason.NotFound"/> when the vault has no such secret;
    /// <see cref="LedgerReason.Unavailable"/> when the vault could not be reached or refused the caller (403 also when the secret is disabled);
    /// a <see cref="NoteReason"/> code (e.g. <c>NOTE_BAD_PRIVATE_KEY</c>, <c>NOTE_UNSUPPORTED_KEY</c>) when the value is not a P-256 PKCS#8 PEM.
    /// </exception>
    public static async Task<EcdsaNoteSigner> LoadAsync(SecretClient client, string secretName, string keyName, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentException.ThrowIfNullOrWhiteSpace(secretName);
        var where = $"secret '{secretName}' in Key Vault {client.VaultUri}";

        KeyVaultSecret secret;
        try
        {
            secret = (await client.GetSecretAsync(secretName, cancellationToken: cancellationToken)).Value;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            throw new LedgerException(LedgerReason.NotFound, $"The ledger signing key {where} does not exist ({e.ErrorCode ?? "404"}).");
        }
        catch (RequestFailedException e)
        {
            throw new LedgerException(LedgerReason.Unavailable,
                $"The ledger signing key {where} could not be read: the vault answered {e.Status}{(e.ErrorCode is { } code ? $" {code}" : "")}.");
        }
        catch (AuthenticationFailedException e)
        {
            throw new LedgerException(LedgerReason.Unavailable, $"The ledger signing key {where} could not be read: no credential for the vault ({e.GetType().Name}: {e.Message.Split('\n', 2)[0]})");
        }

        if (string.IsNullOrWhiteSpace(secret.Value))
            throw new LedgerException(NoteReason.BadPrivateKey, $"The ledger signing key {where} is empty.");
        try
        {
            return EcdsaNoteSigner.FromPkcs8Pem(keyName, secret.Value);
        }
        catch (NoteFormatException e) when (e.Reason == NoteReason.BadKeyName)
        {
            throw new LedgerException(e.Reason, $"The ledger origin '{keyName}' is not a valid key name for the signing key {where}.");
        }
        catch (NoteFormatException e)
        {
            throw new LedgerException(e.Reason, $"The ledger signing key {where} is not a PKCS#8 PEM of a P-256 private key ({e.Reason}).");
        }
    }
}
