using System.Text;

namespace Tollgate.Ledger.Tests.Canonical;

/// <summary>The JCS vectors under Vectors/jcs (see its SOURCE.md), as copied next to the test assembly.</summary>
internal static class JcsVectorFiles
{
    public static string PathOf(string relative) => Path.Combine(AppContext.BaseDirectory, "Vectors", "jcs", relative);

    public static byte[] Bytes(string relative) => File.ReadAllBytes(PathOf(relative));

    public static string Text(string relative) => File.ReadAllText(PathOf(relative), Encoding.UTF8);

    public static IEnumerable<string> Lines(string relative) => File.ReadLines(PathOf(relative)).Where(line => line.Length > 0);

    /// <summary>Hex bytes separated by spaces and newlines, as in RFC 8785 §3.2.4 and the cyberphone outhex files.</summary>
    public static byte[] Hex(string relative)
        => Convert.FromHexString(string.Concat(Text(relative).Split((char[])[' ', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries)));

    /// <summary>The names of the cyberphone input/output pairs.</summary>
    public static TheoryData<string> CyberphoneCases()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.EnumerateFiles(PathOf("input"), "*.json").Order(StringComparer.Ordinal))
            data.Add(Path.GetFileName(file));
        return data;
    }
}
