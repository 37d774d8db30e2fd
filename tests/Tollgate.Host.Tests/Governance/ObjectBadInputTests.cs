using System.Security.Cryptography;
using Tollgate.Host.Tests.Security;

namespace Tollgate.Host.Tests.GovernanceApi;

/// <summary>Content-addressed objects with bad input: an empty or oversized PUT stores nothing, a GET by a name that is no SHA-256 is refused.</summary>
public sealed class ObjectBadInputTests(GovernanceScene scene) : IClassFixture<GovernanceScene>
{
    private const int Limit = 16 * 1024 * 1024;

    private static readonly Dictionary<string, BadInput> Cases = new()
    {
        ["store an object: no bytes"] = new(Caller.Operator, "PUT", "/api/objects", "", 400, "GOV_INVALID_REQUEST"),
        ["store an object: 16 MiB and one byte"] = new(Caller.Operator, "PUT", "/api/objects", null, 413, "INPUT_TOO_LARGE") { Bytes = Oversized },
        ["store an object: 16 MiB and one byte, chunked"] = new(Caller.Operator, "PUT", "/api/objects", null, 413, "INPUT_TOO_LARGE") { Bytes = Oversized, Chunked = true },
        ["read an object: upper-case hex"] = Read(new string('A', 64)),
        ["read an object: 63 hex digits"] = Read(new string('0', 63)),
        ["read an object: 65 hex digits"] = Read(new string('0', 65)),
        ["read an object: not hex"] = Read(new string('g', 64)),
        ["read an object: with its sha256: prefix"] = Read("sha256:" + new string('0', 64)),
        ["read an object: a right-to-left override"] = Read("%E2%80%AE" + new string('0', 63)),
        ["read an object: an escaped path"] = Read("..%2F..%2Fledger"),
        ["read an object: 10,000 characters"] = Read(new string('0', 10_000)),
        ["read an object: one never stored"] = Read(new string('0', 64)) with { Status = 404, Reason = "LEDGER_NOT_FOUND" },
    };

    public static TheoryData<string> Names => [.. Cases.Keys];

    [Theory]
    [MemberData(nameof(Names))]
    public async Task A_bad_object_request_is_refused_with_a_reason_and_stores_nothing(string name)
    {
        var bad = Cases[name];
        await scene.AssertRefusedAndNothingChangedAsync(name, bad);
        if (bad.Method == "PUT")
        {
            var hash = Convert.ToHexStringLower(SHA256.HashData(bad.Bytes?.Invoke() ?? []));
            var stored = await Call.SendAsync(scene.Reader, "GET", $"/api/objects/{hash}");
            Assert.True(stored.Status == 404, $"the refused object was stored: {stored}");
        }
    }

    private static BadInput Read(string name) => new(Caller.Operator, "GET", $"/api/objects/{name}", null, 400, "GOV_INVALID_REQUEST");

    private static byte[] Oversized()
    {
        var bytes = new byte[Limit + 1];
        bytes.AsSpan().Fill((byte)'x');
        return bytes;
    }
}
