using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Text;
using Tollgate.Cli.Commands;
using Tollgate.Cli.Http;
using Tollgate.Evidence;

namespace Tollgate.Cli.Evidence;

/// <summary>
/// <c>tollgate evidence release-verify|audit-summary|verify-summary|audit-index|verify-index|wal-recovery|rollback-drill</c>:
/// seed 003's release-evidence checks (Tollgate.Evidence), with the flags of the scripts they replace. Each prints
/// PASS or FAIL with its reason codes and facts and writes the result to the audit ledger through the host (a failed
/// check is evidence too). Exit codes: 0 passed, 1 failed, 2 refused (bad arguments; nothing recorded), 3 the host
/// or its ledger could not be reached (the verdict is printed, not recorded). <c>--no-ledger</c> only prints.
/// </summary>
internal static class EvidenceCommands
{
    public const string OutputExists = "EVIDENCE_OUTPUT_EXISTS";
    public const string OutputFailed = "EVIDENCE_OUTPUT_FAILED";

    public static Command Create(CliContext context, Option<string> endpoint)
    {
        var shared = new EvidenceLedgerOptions();
        var command = new Command("evidence", "Run a release-evidence check (seed 003) and record its result in the audit ledger.")
        {
            ReleaseVerify(context, endpoint, shared),
            AuditSummary(context, endpoint, shared),
            VerifySummary(context, endpoint, shared),
            AuditIndex(context, endpoint, shared),
            VerifyIndex(context, endpoint, shared),
            WalRecovery(context, endpoint, shared),
            RollbackDrill(context, endpoint, shared),
        };
        foreach (var option in shared.All) command.Options.Add(option);
        return command;
    }

    private static Command ReleaseVerify(CliContext context, Option<string> endpoint, EvidenceLedgerOptions shared)
    {
        var bundle = Required<string>("--bundle", "The release bundle (.tar.gz or .tgz; its name carries the version).");
        var checksum = Required<string>("--checksum", "Its sha256sum file (one line: <sha256>  <bundle name>).");
        var expect = Required<string>("--expect-version", "The version the bundle must be, e.g. v0.2.0.");
        var command = new Command("release-verify", "Verify a release bundle against its checksum file and the expected version (check release.bundle).")
        {
            bundle, checksum, expect,
        };
        command.SetEvidenceAction(context, endpoint, shared, (parse, run, cancellationToken) =>
            run.CheckAndRecordAsync(ReleaseBundleCheck.Verify(parse.GetValue(bundle)!, parse.GetValue(checksum)!, parse.GetValue(expect)!), cancellationToken));
        return command;
    }

    private static Command AuditSummary(CliContext context, Option<string> endpoint, EvidenceLedgerOptions shared)
    {
        var bundle = Required<string>("--bundle", "The release bundle (.tar.gz or .tgz).");
        var checksum = Required<string>("--checksum", "Its sha256sum file.");
        var expect = new Option<string?>("--expect-version") { Description = "The version the bundle must be (default: its VERSION file, else its name)." };
        var output = Required<string>("--output", "The Markdown report to write (must not exist).");
        var jsonOutput = Required<string>("--json-output", "The summary JSON to write (must not exist).");
        var command = new Command("audit-summary",
            "Verify a release bundle (check release.bundle) and, only if it passes, write its audit summary as Markdown and JSON.")
        {
            bundle, checksum, expect, output, jsonOutput,
        };
        command.SetEvidenceAction(context, endpoint, shared, async (parse, run, cancellationToken) =>
        {
            var (markdownPath, jsonPath) = (parse.GetValue(output)!, parse.GetValue(jsonOutput)!);
            if (string.Equals(Path.GetFullPath(markdownPath), Path.GetFullPath(jsonPath), StringComparison.Ordinal))
                throw new RequestRefusedException(ApiCommand.InvalidArguments, "--output and --json-output name the same file.");
            foreach (var path in new[] { jsonPath, markdownPath })
            {
                if (File.Exists(path) || Directory.Exists(path))
                    throw new RequestRefusedException(OutputExists, $"'{path}' already exists; an audit summary is never overwritten. Nothing was checked or recorded.");
            }

            var created = ReleaseAuditSummary.Create(parse.GetValue(bundle)!, parse.GetValue(checksum)!, parse.GetValue(expect), run.Time);
            var exitCode = await run.CheckAndRecordAsync(created.Check, cancellationToken);
            if (created.Summary is null)
            {
                context.Out.WriteLine("no summary written: only a bundle that passed gets one.");
                return exitCode;
            }
            if (exitCode != ExitCodes.Success)
            {
                context.Error.WriteLine("no summary written: the result is not recorded; run the command again.");
                return exitCode;
            }
            // Recorded first, written second: a run that could not record leaves no files behind to block its retry.
            WriteNew(jsonPath, created.Summary.ToJson());
            WriteNew(markdownPath, created.Summary.ToMarkdown());
            context.Out.WriteLine($"wrote: {jsonPath}");
            context.Out.WriteLine($"wrote: {markdownPath}");
            return exitCode;
        });
        return command;
    }

    private static Command VerifySummary(CliContext context, Option<string> endpoint, EvidenceLedgerOptions shared)
    {
        var summary = Required<string>("--summary-json", "The release audit summary JSON.");
        var expect = Required<string>("--expect-version", "The version the summary must be for.");
        var bundle = new Option<string?>("--bundle") { Description = "The bundle, to recompute its hash, size and members against the summary." };
        var command = new Command("verify-summary", "Verify a release audit summary: its form, its version and, with --bundle, the bundle (check release.summary).")
        {
            summary, expect, bundle,
        };
        command.SetEvidenceAction(context, endpoint, shared, (parse, run, cancellationToken) =>
            run.CheckAndRecordAsync(ReleaseAuditSummary.Verify(parse.GetValue(summary)!, parse.GetValue(bundle), parse.GetValue(expect)!), cancellationToken));
        return command;
    }

    private static Command AuditIndex(CliContext context, Option<string> endpoint, EvidenceLedgerOptions shared)
    {
        var summary = Required<string>("--summary-json", "The release audit summary JSON to record.");
        var index = Required<string>("--output-jsonl", "The append-only audit index (JSONL; created if missing).");
        var command = new Command("audit-index",
            "Append a release audit summary to the hash-chained audit index (check release.index.append); a release already there is not appended again.")
        {
            summary, index,
        };
        command.SetEvidenceAction(context, endpoint, shared, async (parse, run, cancellationToken) =>
        {
            var indexPath = parse.GetValue(index)!;
            CreateParentDirectory(indexPath);
            var result = ReleaseAuditIndex.Append(parse.GetValue(summary)!, indexPath);
            EvidenceRun.RefuseBadArguments(result);
            run.Print(result);
            if (result.Passed && result.Facts.TryGetValue("line_number", out var line) && result.Facts.TryGetValue("line_sha256", out var sha))
                context.Out.WriteLine($"  anchor for verify-index: --anchor-line {line} --anchor-sha256 {sha}");
            return await run.RecordAsync(result, cancellationToken);
        });
        return command;
    }

    private static Command VerifyIndex(CliContext context, Option<string> endpoint, EvidenceLedgerOptions shared)
    {
        var summary = Required<string>("--summary-json", "The release audit summary JSON whose release must be in the index.");
        var index = Required<string>("--index-jsonl", "The audit index (JSONL).");
        var expect = Required<string>("--expect-version", "The version the summary must be for.");
        var anchorLine = new Option<long?>("--anchor-line") { Description = "A line number an earlier audit-index recorded (line_number); with --anchor-sha256." };
        var anchorSha = new Option<string?>("--anchor-sha256") { Description = "That line's SHA-256 (line_sha256): catches lines cut off the index's end." };
        var command = new Command("verify-index",
            "Verify the audit index's hash chain and that the summary's release is on exactly one line of it (check release.index).")
        {
            summary, index, expect, anchorLine, anchorSha,
        };
        command.SetEvidenceAction(context, endpoint, shared, (parse, run, cancellationToken) =>
        {
            var anchor = Anchor(parse.GetValue(anchorLine), parse.GetValue(anchorSha));
            return run.CheckAndRecordAsync(
                ReleaseAuditIndex.Verify(parse.GetValue(summary)!, parse.GetValue(index)!, parse.GetValue(expect)!, anchor), cancellationToken);
        });
        return command;
    }

    private static Command WalRecovery(CliContext context, Option<string> endpoint, EvidenceLedgerOptions shared)
    {
        var evidence = Required<string>("--evidence-file", "The drill's .env evidence (DRILL_ID, STATUS, RTO_SECONDS, RPO_EVENTS, ...).");
        var maxRto = DecimalOption("--max-rto-seconds", "The longest recovery time allowed, seconds.");
        var maxRpo = Required<long>("--max-rpo-events", "The most events the recovery may lose.");
        var command = new Command("wal-recovery", "Check a WAL recovery drill's evidence against RTO and RPO limits (check dr.wal_recovery).")
        {
            evidence, maxRto, maxRpo,
        };
        command.SetEvidenceAction(context, endpoint, shared, (parse, run, cancellationToken) =>
            run.CheckAndRecordAsync(WalRecoveryEvidence.Verify(parse.GetValue(evidence)!, parse.GetValue(maxRto), parse.GetValue(maxRpo)), cancellationToken));
        return command;
    }

    private static Command RollbackDrill(CliContext context, Option<string> endpoint, EvidenceLedgerOptions shared)
    {
        var evidence = Required<string>("--evidence-file", "The drill's .env evidence (DRILL_ID, ENVIRONMENT, FROM_VERSION, TO_VERSION, ROLLBACK_SECONDS, HEALTH_CHECK, ...).");
        var maxSeconds = DecimalOption("--max-rollback-seconds", "The longest rollback allowed, seconds.");
        var command = new Command("rollback-drill", "Check a deploy/rollback drill's evidence against the rollback time limit and its health check (check ops.rollback_drill).")
        {
            evidence, maxSeconds,
        };
        command.SetEvidenceAction(context, endpoint, shared, (parse, run, cancellationToken) =>
            run.CheckAndRecordAsync(RollbackDrillEvidence.Verify(parse.GetValue(evidence)!, parse.GetValue(maxSeconds)), cancellationToken));
        return command;
    }

    /// <summary>Runs the action against the host's API; the shared options are read (and checked) before it.</summary>
    private static void SetEvidenceAction(this Command command, CliContext context, Option<string> endpoint, EvidenceLedgerOptions shared,
        Func<ParseResult, EvidenceRun, CancellationToken, Task<int>> action)
        => command.SetApiAction(context, endpoint, (parse, api, cancellationToken) =>
            action(parse, new EvidenceRun(context, api, shared.Read(parse, context)), cancellationToken));

    /// <summary>The usual tail: refuse a bad-argument result, print the verdict, record it.</summary>
    private static Task<int> CheckAndRecordAsync(this EvidenceRun run, EvidenceResult result, CancellationToken cancellationToken)
    {
        EvidenceRun.RefuseBadArguments(result);
        run.Print(result);
        return run.RecordAsync(result, cancellationToken);
    }

    private static IndexAnchor? Anchor(long? line, string? sha)
    {
        if (line is null && sha is null) return null;
        if (line is null || sha is null)
            throw new RequestRefusedException(ApiCommand.InvalidArguments, "Give --anchor-line and --anchor-sha256 together (an audit-index run prints both).");
        if (line < 1)
            throw new RequestRefusedException(ApiCommand.InvalidArguments, "--anchor-line is a line number from 1.");
        if (sha.Length != 64 || !sha.All(Uri.IsHexDigit))
            throw new RequestRefusedException(ApiCommand.InvalidArguments, "--anchor-sha256 is a SHA-256 as 64 hex digits.");
        return new IndexAnchor(line.Value, sha.ToLowerInvariant());
    }

    /// <summary>Creates <paramref name="path"/> (never overwriting) holding <paramref name="text"/> as UTF-8.</summary>
    private static void WriteNew(string path, string text)
    {
        try
        {
            CreateParentDirectory(path);
            using var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None);
            stream.Write(Encoding.UTF8.GetBytes(text));
            stream.Flush(flushToDisk: true);
        }
        catch (IOException) when (File.Exists(path))
        {
            throw new RequestRefusedException(OutputExists, $"'{path}' appeared while the check ran; it was not overwritten. The check's result is recorded.");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            throw new RequestRefusedException(OutputFailed, $"could not write '{path}': {e.Message}. The check's result is recorded.");
        }
    }

    /// <summary>Creates the folder an output file goes in, as the scripts did; a failure is left to the write that follows.</summary>
    private static void CreateParentDirectory(string path)
    {
        try
        {
            if (Path.GetDirectoryName(Path.GetFullPath(path)) is { Length: > 0 } directory) Directory.CreateDirectory(directory);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
        }
    }

    private static Option<T> Required<T>(string name, string description) => new(name) { Description = description, Required = true };

    /// <summary>A required decimal, read the same way everywhere (invariant culture: 4.2, never 4,2).</summary>
    private static Option<decimal> DecimalOption(string name, string description) => new(name)
    {
        Description = description,
        Required = true,
        CustomParser = result =>
        {
            var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : "";
            if (decimal.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value))
                return value;
            result.AddError($"{name} is a number of seconds such as 4.2, not '{text}'.");
            return 0;
        },
    };
}
