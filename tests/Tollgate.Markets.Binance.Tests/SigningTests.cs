using Tollgate.Governance.Secrets;
using Tollgate.Markets.Binance.Rest;
using Tollgate.Markets.Binance.Signing;

namespace Tollgate.Markets.Binance.Tests;

public sealed class SigningTests
{
    [Fact]
    public void Binance_documented_HMAC_example_signs_to_the_documented_signature() =>
        Assert.Equal(Doc.Signature, BinanceRequestSigner.Sign(Doc.Secret, Doc.Payload));

    [Fact]
    public async Task Signed_query_reproduces_the_documented_request_and_registers_the_secrets()
    {
        var redactor = new SecretRedactor();
        var store = new MemorySecretStore(new() { ["k"] = Doc.ApiKey, ["s"] = Doc.Secret });
        var signer = new BinanceRequestSigner(store, redactor, new BinanceSigningOptions("k", "s", TimeSpan.FromMilliseconds(5000)));
        var parameters = new Dictionary<string, string>
        {
            ["symbol"] = "LTCBTC", ["side"] = "BUY", ["type"] = "LIMIT", ["timeInForce"] = "GTC", ["quantity"] = "1", ["price"] = "0.1",
        };
        var signed = await signer.SignAsync(parameters, DateTimeOffset.FromUnixTimeMilliseconds(1499827319559), inBody: false, CancellationToken.None);

        Assert.Equal($"{Doc.Payload}&signature={Doc.Signature}", signed.QueryString);
        Assert.Null(signed.Body);
        Assert.Equal(Doc.ApiKey, signed.ApiKey);
        Assert.DoesNotContain(Doc.ApiKey, signed.ToString());
        Assert.Equal("[REDACTED] and [REDACTED]", redactor.Redact($"{Doc.ApiKey} and {Doc.Secret}"));
        Assert.All(store.Reads, r => Assert.False(string.IsNullOrEmpty(r.Purpose)));
    }

    [Fact]
    public async Task Body_signing_puts_every_parameter_and_the_signature_in_the_body()
    {
        var signer = new BinanceRequestSigner(new MemorySecretStore(new() { ["binance-api-key"] = Doc.ApiKey, ["binance-api-secret"] = Doc.Secret }), new SecretRedactor());
        var signed = await signer.SignAsync([new("symbol", "LTCBTC"), new("side", "BUY"), new("type", "LIMIT"), new("timeInForce", "GTC"), new("quantity", "1"), new("price", "0.1")],
            DateTimeOffset.FromUnixTimeMilliseconds(1499827319559), inBody: true, CancellationToken.None);
        Assert.Equal("", signed.QueryString);
        Assert.Equal($"{Doc.Payload}&signature={Doc.Signature}", signed.Body);
    }

    [Fact]
    public async Task Missing_secret_fails_with_a_reason_code_that_names_the_secret_not_a_value()
    {
        var signer = new BinanceRequestSigner(new MemorySecretStore(new() { ["binance-api-key"] = Doc.ApiKey }), new SecretRedactor());
        var e = await Assert.ThrowsAsync<BinanceException>(() => signer.SignAsync([], DateTimeOffset.UnixEpoch, false, CancellationToken.None));
        Assert.Equal(BinanceReasons.SecretMissing, e.ReasonCode);
        Assert.Contains("binance-api-secret", e.Message);
        Assert.DoesNotContain(Doc.ApiKey, e.Message);
    }

    [Fact]
    public void RecvWindow_over_60_seconds_is_refused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new BinanceSigningOptions(RecvWindow: TimeSpan.FromSeconds(61)));
}
