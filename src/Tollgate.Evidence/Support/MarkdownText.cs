using System.Text;

namespace Tollgate.Evidence;

/// <summary>
/// Escapes values for a Markdown table cell. Values here are file names and versions, which may
/// hold characters Markdown would read as markup or as a cell boundary ('|'); escaped, the cell
/// shows exactly the value.
/// </summary>
internal static class MarkdownText
{
    private const string Special = "\\`*_{}[]<>()#+!|~";

    public static string Escape(string value)
    {
        var text = new StringBuilder(value.Length + 8);
        foreach (var c in value)
        {
            if (c is '\r' or '\n')
            {
                text.Append(' ');
                continue;
            }

            if (Special.Contains(c))
            {
                text.Append('\\');
            }

            text.Append(c);
        }

        return text.ToString();
    }
}
