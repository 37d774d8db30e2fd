using CsCheck;
using Tollgate.Governance.Storage;

namespace Tollgate.Governance.Tests.Storage;

public sealed class RecordKeysTests
{
    [Fact]
    public void Sequence_one_is_the_highest_key() =>
        Assert.Equal(("9999999998", "9999999997"), (RecordKeys.NewestFirst(1), RecordKeys.NewestFirst(2)));

    [Fact]
    public void Sequence_zero_or_below_has_no_key()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => RecordKeys.NewestFirst(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => RecordKeys.NewestFirst(-1));
    }

    [Fact]
    public void Newer_sequences_sort_first_and_every_key_parses_back() =>
        Gen.Long[1, 9_999_999_998].Select(Gen.Long[1, 9_999_999_998]).Sample((a, b) =>
        {
            Assert.Equal(a, RecordKeys.SequenceOf(RecordKeys.NewestFirst(a)));
            Assert.Equal(10, RecordKeys.NewestFirst(a).Length);
            Assert.Equal(Math.Sign(b.CompareTo(a)), Math.Sign(string.CompareOrdinal(RecordKeys.NewestFirst(a), RecordKeys.NewestFirst(b))));
        });
}
