using System.Text;

namespace Tollgate.Host.Testing;

/// <summary>
/// TEST ONLY. An external effect that is idempotent by key: <c>&lt;file&gt;</c> holds each applied
/// key once; <c>&lt;file&gt;.invocations</c> holds every call, repeats included. Several host
/// processes share the files: each update holds an exclusive lock on <c>&lt;file&gt;</c>
/// (FileShare.None), retried while another process has it.
/// </summary>
public static class EffectsFile
{
    public static async Task<bool> ApplyAsync(string path, string key)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return Apply(path, key);
            }
            catch (IOException) when (attempt < 500)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(10 + Random.Shared.Next(20)));
            }
        }
    }

    /// <summary>Returns true when the key was applied now, false when it had been already.</summary>
    private static bool Apply(string path, string key)
    {
        using var effects = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        File.AppendAllText(path + ".invocations", key + "\n");

        using var reader = new StreamReader(effects, Encoding.UTF8, detectEncodingFromByteOrderMarks: false, leaveOpen: true);
        var applied = reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        if (applied.Contains(key, StringComparer.Ordinal)) return false;

        effects.Seek(0, SeekOrigin.End);
        var line = Encoding.UTF8.GetBytes(key + "\n");
        effects.Write(line);
        effects.Flush(flushToDisk: true);
        return true;
    }
}
