using System.Collections.Concurrent;
using System.Security.Cryptography;
using Tollgate.Governance.Gates;

namespace Tollgate.Governance.Tests.Support;

/// <summary>A content-addressed object store in memory, which a test can corrupt or break.</summary>
internal sealed class InMemoryContentStore : IContentStore
{
    private readonly ConcurrentDictionary<string, byte[]> objects = new(StringComparer.Ordinal);

    /// <summary>Thrown by every call while set (the object store is down).</summary>
    public Exception? Fault { get; set; }

    public Task<byte[]?> ReadAsync(string sha256Hex, CancellationToken cancellationToken) =>
        Fault is { } fault ? throw fault : Task.FromResult(objects.TryGetValue(sha256Hex, out var bytes) ? bytes.ToArray() : null);

    public Task<string> StoreAsync(ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        if (Fault is { } fault) throw fault;
        var hash = Convert.ToHexStringLower(SHA256.HashData(content.Span));
        objects.TryAdd(hash, content.ToArray());
        return Task.FromResult(hash);
    }

    /// <summary>Stores <paramref name="content"/> and returns its digest in <c>sha256:</c> form.</summary>
    public async Task<string> PutAsync(byte[] content) => "sha256:" + await StoreAsync(content, CancellationToken.None);

    /// <summary>Replaces what is stored under <paramref name="digest"/> with other bytes (bit rot, tampering).</summary>
    public void Corrupt(string digest, byte[] bytes) => objects[digest["sha256:".Length..]] = bytes;

    public static string DigestOf(byte[] content) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(content));
}
