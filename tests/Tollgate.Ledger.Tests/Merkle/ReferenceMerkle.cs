using System.Security.Cryptography;

namespace Tollgate.Ledger.Tests.Merkle;

/// <summary>
/// Naive reference, written straight from the recursive definitions of RFC 9162 §2.1 (MTH §2.1.1,
/// PATH §2.1.3.1, PROOF/SUBPROOF §2.1.4.1) over raw entries, with its own SHA-256 calls so that it
/// shares no code with the implementation under test. Exponential-free but allocation-heavy: tests only.
/// </summary>
internal static class ReferenceMerkle
{
    public static byte[] LeafHash(byte[] entry) => SHA256.HashData([0x00, .. entry]);

    public static byte[] NodeHash(byte[] left, byte[] right) => SHA256.HashData([0x01, .. left, .. right]);

    /// <summary>k: the largest power of two smaller than n (n &gt; 1).</summary>
    public static int K(int n)
    {
        var k = 1;
        while (k << 1 < n)
        {
            k <<= 1;
        }

        return k;
    }

    /// <summary>MTH(D[n]).</summary>
    public static byte[] Mth(ReadOnlySpan<byte[]> d)
    {
        if (d.Length == 0)
        {
            return SHA256.HashData(ReadOnlySpan<byte>.Empty);
        }

        if (d.Length == 1)
        {
            return LeafHash(d[0]);
        }

        var k = K(d.Length);
        return NodeHash(Mth(d[..k]), Mth(d[k..]));
    }

    /// <summary>PATH(m, D[n]).</summary>
    public static List<byte[]> Path(int m, ReadOnlySpan<byte[]> d)
    {
        if (d.Length == 1)
        {
            return [];
        }

        var k = K(d.Length);
        if (m < k)
        {
            var path = Path(m, d[..k]);
            path.Add(Mth(d[k..]));
            return path;
        }
        else
        {
            var path = Path(m - k, d[k..]);
            path.Add(Mth(d[..k]));
            return path;
        }
    }

    /// <summary>PROOF(m, D[n]) = SUBPROOF(m, D[n], true), 0 &lt; m &lt;= n.</summary>
    public static List<byte[]> Proof(int m, ReadOnlySpan<byte[]> d) => SubProof(m, d, true);

    private static List<byte[]> SubProof(int m, ReadOnlySpan<byte[]> d, bool b)
    {
        var n = d.Length;
        if (m == n)
        {
            return b ? [] : [Mth(d)];
        }

        var k = K(n);
        if (m <= k)
        {
            var proof = SubProof(m, d[..k], b);
            proof.Add(Mth(d[k..]));
            return proof;
        }
        else
        {
            var proof = SubProof(m - k, d[k..], false);
            proof.Add(Mth(d[..k]));
            return proof;
        }
    }
}
