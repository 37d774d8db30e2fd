using System.Text.Json.Nodes;
using Tollgate.Ledger.Canonical;

namespace Tollgate.Release.Pipeline;

/// <summary>
/// Where a release came from, packaged as <c>provenance.json</c> so the signed manifest vouches for it: the commit
/// (the deploy event's <c>code_commit_ref</c>, seed 000 §6.2), the CI run that built and tested it, and the builder.
/// </summary>
/// <param name="Commit">The full git commit id: 40 (SHA-1) or 64 (SHA-256) hex digits, lowercased here.</param>
/// <param name="CiRunId">The CI system's run id (e.g. GitHub Actions' run id and attempt).</param>
/// <param name="CiRunUrl">The run's absolute http(s) URL.</param>
/// <param name="Builder">Who built it: the CI workflow or agent identity.</param>
public sealed record ReleaseProvenance(string Commit, string CiRunId, string CiRunUrl, string Builder)
{
    public const string MemberName = "provenance.json";
    public const string Schema = "tollgate.release_provenance.v1";

    public string Commit { get; } = Commit is { Length: 40 or 64 } && Commit.All(char.IsAsciiHexDigit)
        ? Commit.ToLowerInvariant()
        : throw new ArgumentException("a commit id is 40 or 64 hex digits", nameof(Commit));

    public string CiRunId { get; } = Text(CiRunId, nameof(CiRunId));

    public string CiRunUrl { get; } = Uri.TryCreate(CiRunUrl, UriKind.Absolute, out var url) && url.Scheme is "https" or "http"
        ? CiRunUrl
        : throw new ArgumentException("the CI run URL must be an absolute http(s) URL", nameof(CiRunUrl));

    public string Builder { get; } = Text(Builder, nameof(Builder));

    /// <summary><c>{builder, ci_run_id, ci_run_url, commit, schema}</c> as RFC 8785 canonical JSON: the same provenance always gives the same bytes, so the same manifest hash.</summary>
    public byte[] ToJsonBytes() => JsonCanonicalizer.Canonicalize(new JsonObject
    {
        ["builder"] = Builder,
        ["ci_run_id"] = CiRunId,
        ["ci_run_url"] = CiRunUrl,
        ["commit"] = Commit,
        ["schema"] = Schema,
    });

    /// <summary>The package member <c>provenance.json</c>.</summary>
    public ReleaseMember ToMember() => ReleaseMember.FromBytes(MemberName, ToJsonBytes());

    private static string Text(string value, string name) =>
        !string.IsNullOrWhiteSpace(value) && value.Length <= 1024 && !value.Any(char.IsControl)
            ? value
            : throw new ArgumentException("must be 1-1024 characters without control characters", name);
}
