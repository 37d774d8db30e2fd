using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Unicode;

namespace Tollgate.Ledger.Canonical;

/// <summary>
/// Writes canonical JSON bytes (RFC 8785 §3.2) for the readers that walk UTF-8 text or a <c>JsonNode</c> tree.
/// Objects are written in arrival order; <see cref="EndObject"/> checks the order and, only when it is wrong,
/// moves each member's finished bytes into place.
/// </summary>
/// <remarks>One instance per thread is kept for reuse: entries are hashed at over a million a second.</remarks>
internal sealed class CanonicalWriter
{
    /// <summary>The deepest nesting of objects and arrays accepted.</summary>
    public const int MaxDepth = 64;

    // Buffers that grew past this are not kept for the next call, so one huge document does not pin memory.
    private const int RetainedCapacity = 1 << 20;

    // A JSON integer of at most 15 digits is exactly a double and is already in ECMAScript form.
    private const int MaxVerbatimIntegerDigits = 15;

    private const int InsertionSortLimit = 24;

    private static readonly SearchValues<byte> NeedsEscape = SearchValues.Create(
        "\0\u0001\u0002\u0003\u0004\u0005\u0006\u0007\b\t\n\u000b\f\r\u000e\u000f\u0010\u0011\u0012\u0013\u0014\u0015\u0016\u0017\u0018\u0019\u001a\u001b\u001c\u001d\u001e\u001f\"\\"u8);

    [ThreadStatic] private static CanonicalWriter? t_cached;

    private readonly ByteBuffer _keys = new(256);
    private readonly ByteBuffer _reorder = new(256);
    private readonly ByteBuffer _text = new(256);
    private ObjectMember[] _members = new ObjectMember[32];
    private int _memberCount;

    /// <summary>The canonical bytes written so far.</summary>
    public ByteBuffer Output { get; } = new(512);

    public static CanonicalWriter Rent()
    {
        var writer = t_cached ?? new CanonicalWriter();
        t_cached = null;
        return writer;
    }

    public static void Return(CanonicalWriter writer)
    {
        if (writer.Output.Capacity > RetainedCapacity || writer._keys.Capacity > RetainedCapacity
            || writer._reorder.Capacity > RetainedCapacity || writer._text.Capacity > RetainedCapacity)
            return;
        writer.Output.Clear();
        writer._keys.Clear();
        writer._reorder.Clear();
        writer._text.Clear();
        writer._memberCount = 0;
        t_cached = writer;
    }

    public void WriteLiteral(ReadOnlySpan<byte> literal) => Output.Append(literal);

    public void WriteSeparator() => Output.Append((byte)',');

    public void BeginArray(int depth)
    {
        CheckDepth(depth);
        Output.Append((byte)'[');
    }

    public void EndArray() => Output.Append((byte)']');

    public ObjectFrame BeginObject(int depth)
    {
        CheckDepth(depth);
        Output.Append((byte)'{');
        return new ObjectFrame(_memberCount, _keys.Length);
    }

    /// <summary>Starts a member whose name is already unescaped UTF-8; write its value next, then <see cref="EndMember"/>.</summary>
    public PendingMember BeginMember(ref ObjectFrame frame, ReadOnlySpan<byte> utf8Name)
    {
        var keyStart = _keys.Length;
        _keys.Append(utf8Name);
        return BeginMember(ref frame, keyStart);
    }

    /// <summary>Starts a member whose JSON-escaped name is unescaped into the key arena.</summary>
    public PendingMember BeginEscapedMember(ref ObjectFrame frame, ReadOnlySpan<byte> escapedName)
    {
        var keyStart = _keys.Length;
        Unescape(escapedName, _keys);
        return BeginMember(ref frame, keyStart);
    }

    /// <summary>Starts a member whose name is UTF-16; a lone surrogate is refused.</summary>
    public PendingMember BeginMember(ref ObjectFrame frame, string name)
    {
        var keyStart = _keys.Length;
        AppendUtf8(name, _keys);
        return BeginMember(ref frame, keyStart);
    }

    public void EndMember(ref ObjectFrame frame, PendingMember member)
    {
        if (_memberCount == _members.Length) Array.Resize(ref _members, _members.Length * 2);
        var current = new ObjectMember(member.KeyStart, _keys.Length - member.KeyStart, member.Start, Output.Length - member.Start);
        _members[_memberCount++] = current;

        // Keys of nested objects were appended after this one's name and already released, so the name is
        // the last thing in the arena; its length is fixed now.
        if (frame.InOrder && _memberCount - frame.MemberBase > 1)
        {
            var previous = _members[_memberCount - 2];
            var order = Utf16KeyOrder.Compare(Key(previous), Key(current));
            if (order == 0) throw DuplicateKey(current);
            if (order > 0) frame.InOrder = false;
        }
    }

    public void EndObject(in ObjectFrame frame)
    {
        if (!frame.InOrder) Reorder(frame);
        _memberCount = frame.MemberBase;
        _keys.Truncate(frame.KeyMark);
        Output.Append((byte)'}');
    }

    /// <summary>Writes a string value given as raw token bytes, unescaping first when it holds escapes.</summary>
    public void WriteStringToken(ReadOnlySpan<byte> raw, bool escaped)
    {
        if (!escaped)
        {
            WriteString(raw);
            return;
        }
        _text.Clear();
        Unescape(raw, _text);
        WriteString(_text.Written);
    }

    /// <summary>Writes a UTF-16 string value; a lone surrogate is refused.</summary>
    public void WriteString(string value)
    {
        _text.Clear();
        AppendUtf8(value, _text);
        WriteString(_text.Written);
    }

    /// <summary>Writes a JSON number token (already checked against the JSON grammar) in ECMAScript form.</summary>
    public void WriteNumberToken(ReadOnlySpan<byte> token)
    {
        if (IsVerbatimInteger(token))
        {
            // "-0" is the one short integer whose ECMAScript form differs from its JSON text.
            if (token.Length == 2 && token[0] == '-' && token[1] == '0') Output.Append((byte)'0');
            else Output.Append(token);
            return;
        }
        if (!double.TryParse(token, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value))
            throw new CanonicalJsonException(CanonicalJsonReason.NumberOutOfRange,
                $"The number {Encoding.ASCII.GetString(token[..Math.Min(token.Length, 40)])} is outside the range of an IEEE 754 double.");
        WriteNumber(value);
    }

    public void WriteNumber(double value) => Output.Advance(EcmaScriptNumber.Write(value, Output.GetSpan(EcmaScriptNumber.MaxLength)));

    private PendingMember BeginMember(ref ObjectFrame frame, int keyStart)
    {
        if (_memberCount - frame.MemberBase > 0) Output.Append((byte)',');
        var start = Output.Length;
        WriteString(_keys.Slice(keyStart, _keys.Length - keyStart));
        Output.Append((byte)':');
        return new PendingMember(keyStart, start);
    }

    private ReadOnlySpan<byte> Key(ObjectMember member) => _keys.Slice(member.KeyStart, member.KeyLength);

    private void Reorder(in ObjectFrame frame)
    {
        var members = _members.AsSpan(frame.MemberBase, _memberCount - frame.MemberBase);
        Sort(members);
        for (var i = 1; i < members.Length; i++)
            if (Utf16KeyOrder.Compare(Key(members[i - 1]), Key(members[i])) == 0) throw DuplicateKey(members[i]);

        // The members' bytes run from the first member to the end of the output, separated by commas.
        var contentStart = members[0].Start;
        foreach (var member in members) contentStart = Math.Min(contentStart, member.Start);
        _reorder.Clear();
        _reorder.Append(Output.Slice(contentStart, Output.Length - contentStart));
        Output.Truncate(contentStart);
        for (var i = 0; i < members.Length; i++)
        {
            if (i > 0) Output.Append((byte)',');
            Output.Append(_reorder.Slice(members[i].Start - contentStart, members[i].Length));
        }
    }

    private void Sort(Span<ObjectMember> members)
    {
        var comparer = new ObjectMemberComparer(_keys);
        if (members.Length > InsertionSortLimit)
        {
            members.Sort(comparer);
            return;
        }

        // Typical entries have a handful of members; this avoids the delegate the general sort allocates.
        for (var i = 1; i < members.Length; i++)
        {
            var member = members[i];
            var j = i - 1;
            for (; j >= 0 && comparer.Compare(members[j], member) > 0; j--) members[j + 1] = members[j];
            members[j + 1] = member;
        }
    }

    private CanonicalJsonException DuplicateKey(ObjectMember member)
    {
        var name = Encoding.UTF8.GetString(Key(member));
        if (name.Length > 64) name = name[..64] + "…";
        return new CanonicalJsonException(CanonicalJsonReason.DuplicateKey, $"The object names the member \"{name}\" more than once.");
    }

    /// <summary>RFC 8785 §3.2.2.2: escape only '"', '\\' and C0 controls, the five with short forms as \b \t \n \f \r.</summary>
    private void WriteString(ReadOnlySpan<byte> utf8)
    {
        Output.Append((byte)'"');
        while (true)
        {
            var next = utf8.IndexOfAny(NeedsEscape);
            if (next < 0)
            {
                Output.Append(utf8);
                break;
            }
            Output.Append(utf8[..next]);
            AppendEscape(utf8[next]);
            utf8 = utf8[(next + 1)..];
        }
        Output.Append((byte)'"');
    }

    private void AppendEscape(byte value)
    {
        switch (value)
        {
            case (byte)'"': Output.Append("\\\""u8); break;
            case (byte)'\\': Output.Append("\\\\"u8); break;
            case (byte)'\b': Output.Append("\\b"u8); break;
            case (byte)'\t': Output.Append("\\t"u8); break;
            case (byte)'\n': Output.Append("\\n"u8); break;
            case (byte)'\f': Output.Append("\\f"u8); break;
            case (byte)'\r': Output.Append("\\r"u8); break;
            default:
                Output.Append("\\u00"u8);
                Output.Append((byte)"0123456789abcdef"[value >> 4]);
                Output.Append((byte)"0123456789abcdef"[value & 0xF]);
                break;
        }
    }

    private static bool IsVerbatimInteger(ReadOnlySpan<byte> token)
    {
        var digits = token.Length > 0 && token[0] == '-' ? token[1..] : token;
        return digits.Length <= MaxVerbatimIntegerDigits && !digits.ContainsAnyExceptInRange((byte)'0', (byte)'9');
    }

    private static void CheckDepth(int depth)
    {
        if (depth >= MaxDepth)
            throw new CanonicalJsonException(CanonicalJsonReason.TooDeep, $"Objects and arrays are nested more than {MaxDepth} deep.");
    }

    /// <summary>
    /// Decodes the escapes of a string token that the JSON reader has already checked for syntax; surrogate
    /// escapes must pair up (RFC 8785 §3.2.2.2 refuses lone surrogates).
    /// </summary>
    private static void Unescape(ReadOnlySpan<byte> raw, ByteBuffer destination)
    {
        while (true)
        {
            var next = raw.IndexOf((byte)'\\');
            if (next < 0)
            {
                destination.Append(raw);
                return;
            }
            destination.Append(raw[..next]);
            raw = raw[next..];
            switch (raw[1])
            {
                case (byte)'b': destination.Append((byte)'\b'); break;
                case (byte)'f': destination.Append((byte)'\f'); break;
                case (byte)'n': destination.Append((byte)'\n'); break;
                case (byte)'r': destination.Append((byte)'\r'); break;
                case (byte)'t': destination.Append((byte)'\t'); break;
                case (byte)'u':
                    raw = AppendUnicodeEscape(raw, destination);
                    continue;
                default: destination.Append(raw[1]); break; // '"', '\\' and '/' stand for themselves
            }
            raw = raw[2..];
        }
    }

    private static ReadOnlySpan<byte> AppendUnicodeEscape(ReadOnlySpan<byte> raw, ByteBuffer destination)
    {
        int scalar = ParseHex4(raw[2..6]);
        raw = raw[6..];
        if (char.IsLowSurrogate((char)scalar)) throw LoneSurrogate(scalar);
        if (char.IsHighSurrogate((char)scalar))
        {
            if (raw.Length < 6 || raw[0] != '\\' || raw[1] != 'u') throw LoneSurrogate(scalar);
            var low = ParseHex4(raw[2..6]);
            if (!char.IsLowSurrogate((char)low)) throw LoneSurrogate(scalar);
            scalar = char.ConvertToUtf32((char)scalar, (char)low);
            raw = raw[6..];
        }
        new Rune(scalar).EncodeToUtf8(destination.GetSpan(4));
        destination.Advance(new Rune(scalar).Utf8SequenceLength);
        return raw;
    }

    private static int ParseHex4(ReadOnlySpan<byte> hex)
    {
        var value = 0;
        foreach (var digit in hex)
            value = value << 4 | (digit <= '9' ? digit - '0' : (digit | 0x20) - 'a' + 10);
        return value;
    }

    private static CanonicalJsonException LoneSurrogate(int value)
        => new(CanonicalJsonReason.InvalidUnicode, $"A string holds the lone surrogate \\u{value:x4}.");

    private static void AppendUtf8(string value, ByteBuffer destination)
    {
        var span = destination.GetSpan(Encoding.UTF8.GetMaxByteCount(value.Length));
        if (Utf8.FromUtf16(value, span, out _, out var written, replaceInvalidSequences: false) != OperationStatus.Done)
            throw new CanonicalJsonException(CanonicalJsonReason.InvalidUnicode, "A string holds a lone surrogate.");
        destination.Advance(written);
    }
}
