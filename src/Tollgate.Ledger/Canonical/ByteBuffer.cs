namespace Tollgate.Ledger.Canonical;

/// <summary>A growable byte array that is cleared, not freed, between uses, so steady-state canonicalization allocates nothing.</summary>
internal sealed class ByteBuffer(int initialCapacity)
{
    private byte[] _bytes = new byte[initialCapacity];

    public int Length { get; private set; }

    public int Capacity => _bytes.Length;

    public ReadOnlySpan<byte> Written => _bytes.AsSpan(0, Length);

    public ReadOnlySpan<byte> Slice(int start, int length) => _bytes.AsSpan(start, length);

    public void Clear() => Length = 0;

    /// <summary>Drops everything written after <paramref name="length"/> bytes.</summary>
    public void Truncate(int length) => Length = length;

    public void Append(byte value)
    {
        if (Length == _bytes.Length) Grow(1);
        _bytes[Length++] = value;
    }

    public void Append(ReadOnlySpan<byte> values)
    {
        if (_bytes.Length - Length < values.Length) Grow(values.Length);
        values.CopyTo(_bytes.AsSpan(Length));
        Length += values.Length;
    }

    /// <summary>Room for at least <paramref name="count"/> bytes at the end; follow with <see cref="Advance"/>.</summary>
    public Span<byte> GetSpan(int count)
    {
        if (_bytes.Length - Length < count) Grow(count);
        return _bytes.AsSpan(Length);
    }

    public void Advance(int count) => Length += count;

    private void Grow(int needed) => Array.Resize(ref _bytes, Math.Max(_bytes.Length * 2, Length + needed));
}
