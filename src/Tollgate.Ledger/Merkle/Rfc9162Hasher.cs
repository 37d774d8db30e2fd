using System.Security.Cryptography;

namespace Tollgate.Ledger.Merkle;

/// <summary>
/// The RFC 9162 §2.1 (= RFC 6962 §2.1) Merkle tree hashing strategy over SHA-256:
/// <c>leaf = SHA-256(0x00 || entry)</c>, <c>node = SHA-256(0x01 || left || right)</c>,
/// and the root of the empty tree is <c>SHA-256("")</c>. The one-byte prefixes are the domain
/// separation that stops a leaf from ever being confused with an interior node.
/// </summary>
/// <remarks>All members are thread-safe. The span overloads do not allocate.</remarks>
public static class Rfc9162Hasher
{
    /// <summary>Domain-separation prefix of a leaf hash (RFC 9162 §2.1.1).</summary>
    public const byte LeafPrefix = 0x00;

    /// <summary>Domain-separation prefix of an interior node hash (RFC 9162 §2.1.1).</summary>
    public const byte NodePrefix = 0x01;

    /// <summary>Size in bytes of every hash (SHA-256).</summary>
    public const int HashSize = 32;

    // Entries up to this size are prefixed in a stack buffer and hashed in one call; larger ones
    // are fed to the per-thread context in two pieces so that nothing is copied or allocated.
    private const int StackLeafLimit = 1024 - 1;

    private static readonly byte[] EmptyRootBytes = SHA256.HashData(ReadOnlySpan<byte>.Empty);

    [ThreadStatic]
    private static IncrementalHash? t_incremental;

    /// <summary>MTH({}) = SHA-256 of the empty string. A fresh copy on every call.</summary>
    public static byte[] EmptyRoot => (byte[])EmptyRootBytes.Clone();

    /// <summary>Leaf hash of <paramref name="entry"/>: SHA-256(0x00 || entry).</summary>
    public static byte[] HashLeaf(ReadOnlySpan<byte> entry)
    {
        var result = new byte[HashSize];
        HashLeaf(entry, result);
        return result;
    }

    /// <summary>Writes SHA-256(0x00 || entry) to the first 32 bytes of <paramref name="destination"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than 32 bytes.</exception>
    public static void HashLeaf(ReadOnlySpan<byte> entry, Span<byte> destination)
    {
        CheckDestination(destination);
        if (entry.Length <= StackLeafLimit)
        {
            Span<byte> buffer = stackalloc byte[1 + entry.Length];
            buffer[0] = LeafPrefix;
            entry.CopyTo(buffer[1..]);
            var context = Incremental;
            context.AppendData(buffer);
            context.GetHashAndReset(destination);
            return;
        }

        var hash = Incremental;
        ReadOnlySpan<byte> prefix = [LeafPrefix];
        hash.AppendData(prefix);
        hash.AppendData(entry);
        hash.GetHashAndReset(destination);
    }

    /// <summary>Interior node hash: SHA-256(0x01 || left || right).</summary>
    /// <exception cref="ArgumentException"><paramref name="left"/> or <paramref name="right"/> is not 32 bytes.</exception>
    public static byte[] HashChildren(ReadOnlySpan<byte> left, ReadOnlySpan<byte> right)
    {
        var result = new byte[HashSize];
        HashChildren(left, right, result);
        return result;
    }

    /// <summary>
    /// Writes SHA-256(0x01 || left || right) to the first 32 bytes of <paramref name="destination"/>.
    /// <paramref name="destination"/> may overlap <paramref name="left"/> or <paramref name="right"/>
    /// (the inputs are copied before the hash is written).
    /// </summary>
    /// <exception cref="ArgumentException">An input is not 32 bytes, or <paramref name="destination"/> is shorter than 32 bytes.</exception>
    public static void HashChildren(ReadOnlySpan<byte> left, ReadOnlySpan<byte> right, Span<byte> destination)
    {
        if (left.Length != HashSize)
        {
            throw new ArgumentException($"A child hash must be {HashSize} bytes, got {left.Length}.", nameof(left));
        }

        if (right.Length != HashSize)
        {
            throw new ArgumentException($"A child hash must be {HashSize} bytes, got {right.Length}.", nameof(right));
        }

        CheckDestination(destination);
        Span<byte> buffer = stackalloc byte[1 + (2 * HashSize)];
        buffer[0] = NodePrefix;
        left.CopyTo(buffer[1..]);
        right.CopyTo(buffer[(1 + HashSize)..]);

        // A reused per-thread context is measurably cheaper than a one-shot SHA256.HashData here
        // (this is the hot path of every append and proof), and allocates nothing.
        var hash = Incremental;
        hash.AppendData(buffer);
        hash.GetHashAndReset(destination);
    }

    private static IncrementalHash Incremental => t_incremental ??= IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

    private static void CheckDestination(Span<byte> destination)
    {
        if (destination.Length < HashSize)
        {
            throw new ArgumentException($"The destination must hold at least {HashSize} bytes, got {destination.Length}.", nameof(destination));
        }
    }
}
