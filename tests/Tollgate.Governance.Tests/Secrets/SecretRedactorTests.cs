using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Tollgate.Governance.Secrets;
using Tollgate.Ledger.Entries;

namespace Tollgate.Governance.Tests.Secrets;

public sealed class SecretRedactorTests
{
    private const string Secret = "s3cr3t-Value-1234";

    private static SecretRedactor With(params string[] secrets)
    {
        var redactor = new SecretRedactor();
        foreach (var secret in secrets) redactor.Register(secret);
        return redactor;
    }

    [Theory]
    [InlineData("")]
    [InlineData("short")]
    [InlineData("elevenchars")]
    public void A_value_shorter_than_twelve_characters_is_refused(string secret)
    {
        var redactor = new SecretRedactor();
        Assert.Throws<ArgumentException>(() => redactor.Register(secret));
        Assert.Equal(0, redactor.Count);
    }

    [Fact]
    public void A_twelve_character_value_is_taken() => Assert.Equal("[REDACTED]", With("twelve-chars").Redact("twelve-chars"));

    [Fact]
    public void A_registered_value_is_masked_wherever_it_appears_in_text()
    {
        var redactor = With(Secret);
        Assert.Equal("key=[REDACTED]; again [REDACTED].", redactor.Redact($"key={Secret}; again {Secret}."));
        Assert.Equal("nothing here", redactor.Redact("nothing here"));
        Assert.Equal("", redactor.Redact(""));
    }

    [Fact]
    public void A_registered_value_is_found_in_utf8_bytes()
    {
        var redactor = With(Secret);
        Assert.True(redactor.Finds(Encoding.UTF8.GetBytes($"prefix {Secret} suffix")));
        Assert.False(redactor.Finds(Encoding.UTF8.GetBytes("s3cr3t-Value-123 is not it")));
        Assert.False(redactor.Finds([]));
    }

    [Theory]
    [InlineData("pa$$word+with<html>&'quote'")]
    [InlineData("ünïcödé-sëcrét-välüe")]
    [InlineData("has \"double\" quotes")]
    [InlineData("back\\slash\\secret")]
    public void The_json_escaped_forms_of_a_value_are_masked_and_found(string secret)
    {
        var redactor = With(secret);
        var serialized = JsonSerializer.Serialize(new { token = secret });
        Assert.DoesNotContain(secret, serialized.Replace("[REDACTED]", ""));
        Assert.DoesNotContain("token\":\"" + secret, serialized);

        Assert.Equal("{\"token\":\"[REDACTED]\"}", redactor.Redact(serialized));
        Assert.True(redactor.Finds(Encoding.UTF8.GetBytes(serialized)));
    }

    [Theory]
    [InlineData("has \"double\" quotes")]
    [InlineData("back\\slash\\secret")]
    [InlineData("pa$$word+with<html>&'quote'")]
    [InlineData("ünïcödé-sëcrét-välüe")]
    public void A_value_inside_a_canonical_ledger_entry_is_found(string secret)
    {
        var redactor = With(secret);
        var entry = LedgerEntry.Create(new LedgerEntryFields("incident", "inc-1", Support.World.T0, "op-ana", "corr-1", null, []),
            new JsonObject { ["incident_id"] = "inc-1", ["class"] = "INC-SEC", ["severity"] = "P1", ["summary"] = $"leaked {secret}" });
        Assert.True(redactor.Finds(entry.Bytes));
        Assert.DoesNotContain(secret, redactor.Redact(Encoding.UTF8.GetString(entry.Bytes)));
    }

    [Fact]
    public void A_value_containing_another_is_masked_whole()
    {
        var redactor = With("inner-secret-12", "outer-inner-secret-12-outer");
        Assert.Equal("[[REDACTED]]", redactor.Redact("[outer-inner-secret-12-outer]"));
        Assert.Equal("([REDACTED])", redactor.Redact("(inner-secret-12)"));
    }

    [Fact]
    public void Registering_a_value_twice_keeps_one_copy_of_each_form()
    {
        var redactor = With(Secret, Secret);
        Assert.Equal(1, redactor.Count);
    }

    [Fact]
    public void A_pem_key_is_masked_whole_and_line_by_line()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var pem = key.ExportPkcs8PrivateKeyPem();
        var redactor = new SecretRedactor();
        redactor.Register(pem);

        var body = pem.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Where(line => !line.StartsWith("-----")).ToList();
        Assert.NotEmpty(body);
        Assert.Equal("key: [REDACTED]", redactor.Redact($"key: {pem}"));
        foreach (var line in body.Where(line => line.Length >= SecretRedactor.MinimumLength))
        {
            Assert.Equal("[REDACTED]", redactor.Redact(line));
            Assert.True(redactor.Finds(Encoding.UTF8.GetBytes($"log: {line} end")));
            Assert.True(redactor.Finds(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(line))));
        }
        Assert.Equal("-----BEGIN PRIVATE KEY-----", redactor.Redact("-----BEGIN PRIVATE KEY-----"));
    }

    [Fact]
    public void A_pem_with_windows_line_endings_is_masked_line_by_line()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var pem = key.ExportPkcs8PrivateKeyPem().Replace("\n", "\r\n");
        var redactor = new SecretRedactor();
        redactor.Register(pem);
        var firstBodyLine = pem.Split("\r\n")[1];
        Assert.Equal("x [REDACTED] y", redactor.Redact($"x {firstBodyLine} y"));
    }
}
