using GdSweeps.Results;
using GdSweeps.Running;
using GdSweeps.Tests.Support;

namespace GdSweeps.Tests.Reliability;

/// <summary>
/// A results folder is right or says it is not: damaged, missing, unrecorded and hostile files are found, named and
/// never used.
/// </summary>
[TestClass]
[TestCategory(TestTiers.Process)]
public sealed class StorageTests
{
    /// <summary>
    /// The seed sweep, in parts of 50 runs, run by the real command in a new folder; returns the folder of its results.
    /// </summary>
    private static (string Work, string Results) Sweep()
    {
        var work = Some.TempDir();
        File.WriteAllText(Path.Combine(work, "seed.yaml"), Some.SeedYaml);
        var run = CliProcess.Run(work, "run", "seed.yaml", "--runs-per-part", "50", "--quiet");
        Assert.AreEqual(0, run.ExitCode, run.Stderr);
        return (work, Path.Combine(work, "results", "seed"));
    }

    private static CliProcess.Result Rerun(string work) => CliProcess.Run(work, "run", "seed.yaml", "--runs-per-part", "50");

    private static void Damage(string file, string how)
    {
        switch (how)
        {
            case "flip-middle":
            case "flip-start":
                var bytes = File.ReadAllBytes(file);
                var at = how == "flip-start" ? 8 : bytes.Length / 2;
                bytes[at] ^= 0x5a;
                File.WriteAllBytes(file, bytes);
                break;
            case "truncate":
                File.WriteAllBytes(file, File.ReadAllBytes(file)[..^100]);
                break;
            case "empty":
                File.WriteAllBytes(file, []);
                break;
            case "delete":
                File.Delete(file);
                break;
        }
    }

    [TestMethod]
    [DataRow("runs/part-000003.parquet", "flip-middle")]
    [DataRow("runs/part-000003.parquet", "flip-start")]
    [DataRow("curves/part-000005.parquet", "flip-middle")]
    [DataRow("runs/part-000000.parquet", "truncate")]
    [DataRow("curves/part-000007.parquet", "empty")]
    [DataRow("runs/part-000002.parquet", "delete")]
    public void A_damaged_part_is_named_moved_aside_and_its_runs_computed_again_to_the_same_bytes(string part, string how)
    {
        var (reference, referenceResults) = Sweep();
        var (work, results) = Sweep();
        Damage(Path.Combine(results, part), how);

        var rerun = Rerun(work);

        Assert.AreEqual(0, rerun.ExitCode, rerun.Stderr);
        StringAssert.Contains(rerun.Stderr, part, "the damaged part is named");
        StringAssert.Contains(rerun.Stderr, "50 computed", "exactly its runs are computed again");
        Assert.DoesNotContain("   at ", rerun.Stderr);
        CollectionAssert.AreEqual(Stored.TableBytes(referenceResults), Stored.TableBytes(results));
        if (how != "delete")
        {
            Assert.IsNotEmpty(Directory.GetFiles(Path.Combine(results, "damaged")), "the damaged file is kept, never deleted");
        }

        _ = reference;
    }

    [TestMethod]
    public void A_parquet_file_no_sweep_recorded_is_moved_aside_and_never_read()
    {
        var (work, results) = Sweep();
        File.Copy(Path.Combine(results, "runs", "part-000000.parquet"), Path.Combine(results, "runs", "part-000099.parquet"));

        var rerun = Rerun(work);

        Assert.AreEqual(0, rerun.ExitCode, rerun.Stderr);
        StringAssert.Contains(rerun.Stderr, "runs/part-000099.parquet was not written by a GdSweeps sweep");
        Assert.HasCount(8, Stored.Parts(results));
    }

    [TestMethod]
    public void Report_checks_what_it_reads_and_names_a_damaged_part()
    {
        var (_, results) = Sweep();
        Damage(Path.Combine(results, "runs", "part-000004.parquet"), "flip-middle");

        var report = CliProcess.Run(results, "report", ".");

        Assert.AreEqual(1, report.ExitCode);
        StringAssert.Contains(report.Stderr, "runs/part-000004.parquet failed its check");
        StringAssert.Contains(report.Stderr, "rerun the sweep");
        Assert.IsNotEmpty(Directory.GetFiles(Path.Combine(results, "damaged")));
    }

    [TestMethod]
    [DataRow("report")]
    [DataRow("merge")]
    public void A_damaged_manifest_is_a_clear_error_without_a_stack_trace(string command)
    {
        var (_, results) = Sweep();
        File.WriteAllText(Path.Combine(results, "manifest.json"), "{\"state\": \"complete\", \"sweep\": ");

        var result = CliProcess.Run(results, command, ".");

        Assert.AreEqual(1, result.ExitCode, result.Stderr);
        StringAssert.Contains(result.Stderr, "manifest.json is damaged");
        Assert.DoesNotContain("   at ", result.Stderr);
    }

    /// <summary>
    /// A part whose checksums pass yet holds other columns under the same run ids (a version that stored other
    /// columns, or a file put in place with its record): its runs are computed again, never copied with a column
    /// missing or mistyped, and `report` names it.
    /// </summary>
    [TestMethod]
    [DataRow("missing")]
    [DataRow("mistyped")]
    public async Task A_part_recorded_with_other_columns_is_named_and_its_runs_computed_again(string how)
    {
        var (_, referenceResults) = Sweep();
        var (work, results) = Sweep();
        const string part = "runs/part-000003.parquet";
        var path = Path.Combine(results, part);
        var table = await Tables.OfFileAsync<RunResult>(path, CancellationToken.None);
        var chunk = (await table.ReadAsync(path)).Single();
        var columns = how == "missing"
            ? table.Columns.Where(c => c.Name != "final_loss").ToList()
            : [.. table.Columns.Select(c => c.Name == "steps_run" ? Columns.Read<RunResult>(new Parquet.Schema.DataField<double>("steps_run")) : c)];
        var forged = new Chunk<RunResult>(chunk.Count);
        foreach (var column in columns)
        {
            forged.Set(column, column.Name == "steps_run" && how == "mistyped"
                ? chunk.Get<int>("steps_run").Select(s => (double)s).ToArray()
                : chunk.Stored(column));
        }

        await using (var stream = File.Create(path))
        {
            await new Table<RunResult>(columns, table.Metadata).WriteAsync(stream, forged, CancellationToken.None);
        }

        Stored.Rerecord(results, part);
        var expected = how == "missing" ? "no column 'final_loss'" : "'steps_run' is double, not int32";

        var report = CliProcess.Run(results, "report", ".");
        var rerun = Rerun(work);

        Assert.AreEqual(1, report.ExitCode, report.Stderr);
        StringAssert.Contains(report.Stderr, $"{part}: written with other columns: {expected} (as in runs/part-000000.parquet); rerun the sweep");
        Assert.DoesNotContain("   at ", report.Stderr);
        Assert.AreEqual(0, rerun.ExitCode, rerun.Stderr);
        StringAssert.Contains(rerun.Stderr, $"{part}: written with other columns: {expected}: its runs count as not stored and are computed again");
        StringAssert.Contains(rerun.Stderr, "50 computed", "exactly its runs are computed again");
        CollectionAssert.AreEqual(Stored.TableBytes(referenceResults), Stored.TableBytes(results));
    }

    [TestMethod]
    public void Report_refuses_while_a_sweep_holds_the_folder_and_names_it()
    {
        var (_, results) = Sweep();
        using var holder = ResultFolder.Open(results);

        var report = CliProcess.Run(results, "report", ".");

        Assert.AreEqual(1, report.ExitCode);
        StringAssert.Contains(report.Stderr, $"pid {Environment.ProcessId} on");
    }

    [TestMethod]
    public async Task A_folder_whose_last_sweep_did_not_finish_is_not_reported_under_any_name()
    {
        var (_, results) = Sweep();
        var edited = Some.Config(Some.SeedYaml.Replace("steps: 1000", "steps: 500", StringComparison.Ordinal));
        using var stop = new CancellationTokenSource();
        await stop.CancelAsync();

        await Assert.ThrowsAsync<OperationCanceledException>(() => SweepSession.RunAsync(edited, results, new RunOptions(2), null, stop.Token));
        var report = CliProcess.Run(results, "report", ".");

        // The report so far of the interrupted sweep: none of the earlier config's runs (steps: 1000) are its own.
        Assert.AreEqual(0, report.ExitCode, report.Stderr);
        StringAssert.Contains(report.Stdout, "# Sweep `seed`");
        StringAssert.Contains(report.Stdout, "Interrupted (");
        StringAssert.Contains(report.Stdout, "0 of 400 runs stored (0%)");
        StringAssert.Contains(report.Stdout, "No run is in the tables yet.");
        Assert.IsFalse(File.Exists(Path.Combine(results, "report.md")), "the earlier sweep's reports no longer describe the folder and are gone, and report wrote none");
    }

    [TestMethod]
    public void Temporaries_left_by_a_killed_process_are_removed_by_the_next_run()
    {
        var (work, results) = Sweep();
        var leftover = Path.Combine(results, ".gdsweeps", "tmp-main", "0123456789abcdef.tmp");
        File.WriteAllText(leftover, "half a report");

        Assert.AreEqual(0, Rerun(work).ExitCode);
        Assert.IsFalse(File.Exists(leftover));
    }

    [TestMethod]
    [DataRow("manifest.json")]
    [DataRow("gdsweeps.log")]
    [DataRow("report.md")]
    [DataRow("report.html")]
    [DataRow("summary.parquet")]
    [DataRow("transfer.parquet")]
    [DataRow("runs")]
    [DataRow("curves")]
    [DataRow("damaged")]
    [DataRow(".gdsweeps")]
    [DataRow(".gdsweeps/lock")]
    [DataRow(".gdsweeps/lock-main")]
    [DataRow(".gdsweeps/holder-main")]
    [DataRow(".gdsweeps/journal-main.jsonl")]
    [DataRow(".gdsweeps/tmp-main")]
    [DataRow(".gdsweeps/reuse")]
    public void A_link_planted_at_a_name_the_tool_writes_is_refused_and_its_target_untouched(string name)
    {
        // The folder holds the sweep's own results (a folder of another sweep is refused before any name is opened).
        var (work, results) = Sweep();
        var planted = Path.Combine(results, name);
        if (Directory.Exists(planted))
        {
            Directory.Delete(planted, recursive: true);
        }

        File.Delete(planted);
        Directory.CreateDirectory(Path.GetDirectoryName(planted)!);
        var victim = Path.Combine(Some.TempDir(), "victim");
        var isFolder = name is "runs" or "curves" or "damaged" or ".gdsweeps" or ".gdsweeps/tmp-main" or ".gdsweeps/reuse";
        if (isFolder)
        {
            Directory.CreateDirectory(victim);
            File.WriteAllText(Path.Combine(victim, "keep.txt"), "precious");
            Directory.CreateSymbolicLink(Path.Combine(results, name), victim);
        }
        else
        {
            File.WriteAllText(victim, "precious");
            File.CreateSymbolicLink(Path.Combine(results, name), victim);
        }

        var run = CliProcess.Run(work, "run", "seed.yaml", "--runs-per-part", "50", "--quiet");

        Assert.AreEqual(1, run.ExitCode, run.Stderr);
        StringAssert.Contains(run.Stderr, "is a symbolic link");
        Assert.DoesNotContain("   at ", run.Stderr);
        if (isFolder)
        {
            CollectionAssert.AreEqual(new[] { "keep.txt" }, Directory.GetFileSystemEntries(victim).Select(Path.GetFileName).ToArray());
            Assert.AreEqual("precious", File.ReadAllText(Path.Combine(victim, "keep.txt")));
        }
        else
        {
            Assert.AreEqual("precious", File.ReadAllText(victim));
        }
    }
}
