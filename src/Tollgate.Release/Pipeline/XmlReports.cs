using System.Globalization;
using System.Xml;

namespace Tollgate.Release.Pipeline;

/// <summary>Reading helpers the two report readers share: walking an element's children and reading counters.</summary>
internal static class XmlReports
{
    /// <summary>
    /// Calls <paramref name="visit"/> for each child element of the element the reader is on, positioned on the
    /// child; <paramref name="visit"/> must consume the child (read past its end, e.g. with <see cref="XmlReader.Skip"/>).
    /// Leaves the reader past the parent's end.
    /// </summary>
    public static void ForEachChild(XmlReader reader, Action<XmlReader> visit)
    {
        if (reader.IsEmptyElement)
        {
            reader.Read();
            return;
        }

        var depth = reader.Depth;
        reader.Read();
        while (!reader.EOF && !(reader.NodeType == XmlNodeType.EndElement && reader.Depth == depth))
        {
            if (reader.NodeType == XmlNodeType.Element)
            {
                visit(reader);
            }
            else
            {
                reader.Read();
            }
        }

        reader.Read();
    }

    /// <summary>A non-negative integer attribute; 0 when absent.</summary>
    /// <exception cref="PipelineException">The attribute is present but not a non-negative integer.</exception>
    public static int Counter(XmlReader reader, string name)
    {
        var text = reader.GetAttribute(name);
        if (text is null)
        {
            return 0;
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw TestReport.Invalid($"<{reader.LocalName}> has {name}=\"{StageText.Shorten(text)}\", not a non-negative integer");
    }

    /// <summary>The sum of counters, saturating at <see cref="int.MaxValue"/> so a hostile counter cannot wrap to a negative count.</summary>
    public static int Sum(IEnumerable<int> counters) => (int)Math.Min(int.MaxValue, counters.Sum(counter => (long)counter));

    /// <summary>A required, non-empty attribute.</summary>
    /// <exception cref="PipelineException">The attribute is absent or empty.</exception>
    public static string Required(XmlReader reader, string name)
    {
        var value = reader.GetAttribute(name);
        return string.IsNullOrWhiteSpace(value)
            ? throw TestReport.Invalid($"a <{reader.LocalName}> has no {name}")
            : value;
    }
}
