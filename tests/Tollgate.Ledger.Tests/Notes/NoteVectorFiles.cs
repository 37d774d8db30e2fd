namespace Tollgate.Ledger.Tests.Notes;

/// <summary>The signed note vectors under Vectors/notes (see its SOURCE.md), as copied next to the test assembly.</summary>
internal static class NoteVectorFiles
{
    public static string Text(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Vectors", "notes", name));
}
