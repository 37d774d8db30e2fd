using System.Security.Cryptography;
using System.Text.Json;
using Azure.Core;
using Azure.Security.KeyVault.Secrets;
using Tollgate.Ledger.AzureStorage.Tests.Support;
using Tollgate.Ledger.Notes;

namespace Tollgate.Ledger.AzureStorage.Tests;

/// <summary>The signing key from Key Vault, against a fake transport that speaks the Key Vault REST protocol.</summary>
public sealed class KeyVaultSigningKeyTests
{
    private const string SecretName = "ledger-signing-key";
    private static readonly Uri Vault = new("https://tollgate-test.vault.azure.net/");

    [Fact]
    public async Task Loads_the_P256_key_in_the_secret_as_the_ledger_signer()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var pem = key.ExportPkcs8PrivateKeyPem();
        var transport = new FakeKeyVaultTransport(path => path.TrimEnd('/') == $"/secrets/{SecretName}" ? (200, SecretBody(pem)) : (404, NotFoundBody(path)));
        var credential = new FakeTokenCredential();

        using var signer = await KeyVaultSigningKey.LoadAsync(Client(transport, credential), SecretName, TestLedgers.Origin);

        using var expected = new EcdsaNoteSigner(TestLedgers.Origin, TestLedgers.SameKey(key));
        Assert.Equal(expected.VerifierKey, signer.VerifierKey);
        Assert.Equal(TestLedgers.Origin, signer.KeyName);
        var note = signer.SignNote("tollgate.test/ledger\n1\nAAAA\n");
        Assert.Equal("tollgate.test/ledger\n1\nAAAA\n", EcdsaNoteVerifier.Parse(signer.VerifierKey).Open(note));
        // The challenge first, then the authorized read: the client's real authentication flow ran.
        Assert.Equal([$"GET /secrets/{SecretName} anonymous", $"GET /secrets/{SecretName} authorized"], transport.Requests);
        Assert.Equal(1, credential.Requests);
    }

    [Fact]
    public async Task A_missing_secret_is_NotFound_naming_the_secret_and_the_vault()
    {
        var transport = new FakeKeyVaultTransport(path => (404, NotFoundBody(path)));

        var e = await Assert.ThrowsAsync<LedgerException>(() => KeyVaultSigningKey.LoadAsync(Client(transport), SecretName, TestLedgers.Origin));

        Assert.Equal(LedgerReason.NotFound, e.Reason);
        Assert.Contains($"'{SecretName}'", e.Message);
        Assert.Contains(Vault.Host, e.Message);
        Assert.Contains("SecretNotFound", e.Message);
        AssertNothingLeaks(e);
    }

    [Fact]
    public async Task A_refused_read_is_Unavailable_naming_the_secret_and_the_vault()
    {
        var transport = new FakeKeyVaultTransport(_ => (403, """{"error":{"code":"Forbidden","message":"The user, group or application 'appid=x' does not have secrets get permission."}}"""));

        var e = await Assert.ThrowsAsync<LedgerException>(() => KeyVaultSigningKey.LoadAsync(Client(transport), SecretName, TestLedgers.Origin));

        Assert.Equal(LedgerReason.Unavailable, e.Reason);
        Assert.Contains($"'{SecretName}'", e.Message);
        Assert.Contains(Vault.Host, e.Message);
        Assert.Contains("403", e.Message);
        AssertNothingLeaks(e);
    }

    [Fact]
    public async Task A_value_that_is_not_a_key_is_refused_without_repeating_it()
    {
        const string value = "hunter2-not-a-pem-TOPSECRET";
        var transport = new FakeKeyVaultTransport(_ => (200, SecretBody(value)));

        var e = await Assert.ThrowsAsync<LedgerException>(() => KeyVaultSigningKey.LoadAsync(Client(transport), SecretName, TestLedgers.Origin));

        Assert.Equal(NoteReason.BadPrivateKey, e.Reason);
        Assert.Contains($"'{SecretName}'", e.Message);
        Assert.DoesNotContain("TOPSECRET", e.ToString());
        AssertNothingLeaks(e);
    }

    [Fact]
    public async Task A_key_on_another_curve_is_refused_without_repeating_it()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        var pem = key.ExportPkcs8PrivateKeyPem();
        var transport = new FakeKeyVaultTransport(_ => (200, SecretBody(pem)));

        var e = await Assert.ThrowsAsync<LedgerException>(() => KeyVaultSigningKey.LoadAsync(Client(transport), SecretName, TestLedgers.Origin));

        Assert.Equal(NoteReason.UnsupportedKey, e.Reason);
        foreach (var line in pem.Split('\n').Where(line => !line.StartsWith("-----", StringComparison.Ordinal) && line.Length > 8))
            Assert.DoesNotContain(line.Trim(), e.ToString());
    }

    private static SecretClient Client(FakeKeyVaultTransport transport, TokenCredential? credential = null)
    {
        var options = new SecretClientOptions { Transport = transport };
        options.Retry.MaxRetries = 0;
        return new SecretClient(Vault, credential ?? new FakeTokenCredential(), options);
    }

    private static void AssertNothingLeaks(LedgerException e)
    {
        Assert.DoesNotContain(FakeKeyVaultTransport.AccessToken, e.ToString());
        Assert.DoesNotContain("Bearer", e.ToString());
        Assert.Null(e.InnerException);
    }

    private static string SecretBody(string value) => JsonSerializer.Serialize(new Dictionary<string, object>
    {
        ["value"] = value,
        ["contentType"] = "application/x-pem-file",
        ["id"] = $"{Vault}secrets/{SecretName}/0123456789abcdef0123456789abcdef",
        ["attributes"] = new Dictionary<string, object> { ["enabled"] = true, ["created"] = 1_700_000_000, ["updated"] = 1_700_000_000, ["recoveryLevel"] = "Recoverable+Purgeable" },
        ["tags"] = new Dictionary<string, string>(),
    });

    private static string NotFoundBody(string path) =>
        JsonSerializer.Serialize(new { error = new { code = "SecretNotFound", message = $"A secret with (name/id) {path} was not found in this key vault." } });
}
