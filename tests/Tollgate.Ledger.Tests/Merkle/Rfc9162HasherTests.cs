using System.Security.Cryptography;
using Tollgate.Ledger.Merkle;

namespace Tollgate.Ledger.Tests.Merkle;

public class Rfc9162HasherTests
{
    [Fact]
    public void Prefixes_and_size_are_the_rfc_values()
    {
        Assert.Equal(0x00, Rfc9162Hasher.LeafPrefix);
        Assert.Equal(0x01, Rfc9162Hasher.NodePrefix);
        Assert.Equal(32, Rfc9162Hasher.HashSize);
    }

    [Fact]
    public void Empty_root_is_sha256_of_the_empty_string()
    {
        Assert.Equal("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", Hex(Rfc9162Hasher.EmptyRoot));
    }

    [Fact]
    public void Empty_root_is_a_fresh_copy()
    {
        var a = Rfc9162Hasher.EmptyRoot;
        a[0] ^= 0xff;
        Assert.Equal("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", Hex(Rfc9162Hasher.EmptyRoot));
    }

    [Fact]
    public void Leaf_hash_of_the_empty_entry_matches_rfc6962_reference()
    {
        Assert.Equal("6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d", Hex(Rfc9162Hasher.HashLeaf([])));
    }

    [Fact]
    public void Children_hash_of_first_two_reference_leaves()
    {
        var left = Rfc9162Hasher.HashLeaf([]);
        var right = Rfc9162Hasher.HashLeaf([0x00]);
        Assert.Equal("96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7", Hex(right));
        Assert.Equal("fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125", Hex(Rfc9162Hasher.HashChildren(left, right)));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(1022)]
    [InlineData(1023)]
    [InlineData(1024)]
    [InlineData(100_000)]
    public void Leaf_hash_is_sha256_of_zero_prefix_and_entry_for_every_length(int length)
    {
        var entry = new byte[length];
        new Random(length).NextBytes(entry);
        var expected = SHA256.HashData([0x00, .. entry]);

        Assert.Equal(expected, Rfc9162Hasher.HashLeaf(entry));
        var destination = new byte[40];
        Rfc9162Hasher.HashLeaf(entry, destination);
        Assert.Equal(expected, destination[..32]);
        Assert.All(destination[32..], b => Assert.Equal(0, b));
    }

    [Fact]
    public void Children_hash_is_sha256_of_one_prefix_left_right()
    {
        var left = SHA256.HashData("l"u8);
        var right = SHA256.HashData("r"u8);
        var expected = SHA256.HashData([0x01, .. left, .. right]);
        Assert.Equal(expected, Rfc9162Hasher.HashChildren(left, right));

        var destination = new byte[32];
        Rfc9162Hasher.HashChildren(left, right, destination);
        Assert.Equal(expected, destination);
    }

    [Fact]
    public void Children_hash_may_write_over_either_input()
    {
        var left = SHA256.HashData("l"u8);
        var right = SHA256.HashData("r"u8);
        var expected = Rfc9162Hasher.HashChildren(left, right);

        var l = (byte[])left.Clone();
        Rfc9162Hasher.HashChildren(l, right, l);
        Assert.Equal(expected, l);

        var r = (byte[])right.Clone();
        Rfc9162Hasher.HashChildren(left, r, r);
        Assert.Equal(expected, r);
    }

    [Fact]
    public void Leaf_and_node_domains_differ()
    {
        var left = SHA256.HashData("l"u8);
        var right = SHA256.HashData("r"u8);
        Assert.NotEqual(Rfc9162Hasher.HashLeaf([.. left, .. right]), Rfc9162Hasher.HashChildren(left, right));
    }

    [Fact]
    public void Bad_sizes_are_rejected()
    {
        var h = new byte[32];
        Assert.Throws<ArgumentException>("left", () => Rfc9162Hasher.HashChildren(new byte[31], h));
        Assert.Throws<ArgumentException>("right", () => Rfc9162Hasher.HashChildren(h, new byte[33]));
        Assert.Throws<ArgumentException>("destination", () => Rfc9162Hasher.HashChildren(h, h, new byte[31]));
        Assert.Throws<ArgumentException>("destination", () => Rfc9162Hasher.HashLeaf([], new byte[31]));
    }

    private static string Hex(byte[] bytes) => Convert.ToHexStringLower(bytes);
}
