using System.Text.Json.Nodes;

namespace Tollgate.Ledger.Canonical;

/// <summary>
/// The JSON Canonicalization Scheme (RFC 8785): one byte sequence per JSON value, so that hashes and signatures
/// over JSON are repeatable. Input must be strict I-JSON (RFC 7493); see <see cref="CanonicalJsonReason"/>
/// for what is refused.
/// </summary>
/// <remarks>
/// Canonical output has no whitespace, members sorted by the UTF-16 code units of their names, strings escaped
/// only where RFC 8785 §3.2.2.2 says, and numbers written as ECMAScript writes them (<see cref="EcmaScriptNumber"/>).
/// All members are safe to call from many threads at once.
/// </remarks>
public static class JsonCanonicalizer
{
    /// <summary>Parses strict I-JSON from UTF-8 and returns its RFC 8785 canonical UTF-8 bytes.</summary>
    /// <exception cref="CanonicalJsonException">The input has no canonical form; <see cref="CanonicalJsonException.Reason"/> says why.</exception>
    public static byte[] Canonicalize(ReadOnlySpan<byte> utf8Json)
    {
        var writer = CanonicalWriter.Rent();
        try
        {
            Utf8JsonCanonicalizer.Write(utf8Json, writer);
            return writer.Output.Written.ToArray();
        }
        finally
        {
            CanonicalWriter.Return(writer);
        }
    }

    /// <summary>The RFC 8785 canonical UTF-8 bytes of an in-memory tree, under the same rules as text (a null node is JSON null).</summary>
    /// <exception cref="CanonicalJsonException">
    /// A number is NaN or infinite, a string holds a lone surrogate, the tree is nested more than 64 deep,
    /// or a value cannot be written as JSON.
    /// </exception>
    public static byte[] Canonicalize(JsonNode? node)
    {
        var writer = CanonicalWriter.Rent();
        try
        {
            JsonNodeCanonicalizer.Write(node, writer);
            return writer.Output.Written.ToArray();
        }
        finally
        {
            CanonicalWriter.Return(writer);
        }
    }

    /// <summary>True iff the bytes are already canonical (Canonicalize(x) equals x byte for byte); never throws.</summary>
    public static bool IsCanonical(ReadOnlySpan<byte> utf8Json)
    {
        var writer = CanonicalWriter.Rent();
        try
        {
            Utf8JsonCanonicalizer.Write(utf8Json, writer);
            return writer.Output.Written.SequenceEqual(utf8Json);
        }
        catch (CanonicalJsonException)
        {
            return false;
        }
        finally
        {
            CanonicalWriter.Return(writer);
        }
    }

    /// <summary>
    /// Where the bytes first differ from their canonical form (a byte offset into <paramref name="utf8Json"/>),
    /// or -1 when they are canonical. When one is a prefix of the other, the offset is the shorter length.
    /// </summary>
    /// <exception cref="CanonicalJsonException">The input has no canonical form.</exception>
    public static long FirstNonCanonicalOffset(ReadOnlySpan<byte> utf8Json)
    {
        var writer = CanonicalWriter.Rent();
        try
        {
            Utf8JsonCanonicalizer.Write(utf8Json, writer);
            var canonical = writer.Output.Written;
            var common = canonical.CommonPrefixLength(utf8Json);
            return common == canonical.Length && common == utf8Json.Length ? -1 : common;
        }
        finally
        {
            CanonicalWriter.Return(writer);
        }
    }
}
