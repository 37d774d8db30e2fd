namespace Tollgate.Release.Pipeline;

/// <summary>
/// A test name pattern: <c>*</c> matches any run of characters, <c>?</c> any one, everything else itself
/// (ordinal, case-sensitive). <c>*Gate*</c> is every test whose name contains "Gate"; a pattern without
/// wildcards is one exact test name.
/// </summary>
internal static class TestNamePattern
{
    /// <summary>Wildcard matching by backtracking to the last <c>*</c>: linear in practice, never exponential.</summary>
    public static bool Matches(string pattern, string name)
    {
        int p = 0, n = 0, star = -1, resume = 0;
        while (n < name.Length)
        {
            if (p < pattern.Length && (pattern[p] == '?' || pattern[p] == name[n]) && pattern[p] != '*')
            {
                p++;
                n++;
            }
            else if (p < pattern.Length && pattern[p] == '*')
            {
                star = p++;
                resume = n;
            }
            else if (star >= 0)
            {
                p = star + 1;
                n = ++resume;
            }
            else
            {
                return false;
            }
        }

        while (p < pattern.Length && pattern[p] == '*')
        {
            p++;
        }

        return p == pattern.Length;
    }
}
