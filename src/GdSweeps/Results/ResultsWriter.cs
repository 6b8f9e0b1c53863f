using Parquet;

namespace GdSweeps.Results;

/// <summary>
/// The one writer of a sweep's Parquet files. Rows go to temporary files beside the final ones, which appear only on
/// <see cref="CommitAsync"/>, by rename: a reader never sees a half-written <c>runs.parquet</c>.
/// </summary>
public sealed class ResultsWriter : IAsyncDisposable
{
    private readonly string directory;
    private readonly string suffix = $".tmp-{Environment.ProcessId}";
    private readonly FileStream runsStream;
    private readonly FileStream curvesStream;
    private ParquetWriter? runs;
    private ParquetWriter? curves;
    private bool committed;

    private ResultsWriter(string directory)
    {
        this.directory = directory;
        runsStream = new FileStream(TempPath(RunsFile.FileName), FileMode.Create, FileAccess.Write, FileShare.None);
        curvesStream = new FileStream(TempPath(CurvesFile.FileName), FileMode.Create, FileAccess.Write, FileShare.None);
    }

    public static async Task<ResultsWriter> CreateAsync(string directory, CancellationToken ct)
    {
        var writer = new ResultsWriter(directory);
        writer.runs = await ParquetWriter.CreateAsync(RunsFile.Schema, writer.runsStream, cancellationToken: ct);
        writer.curves = await ParquetWriter.CreateAsync(CurvesFile.Schema, writer.curvesStream, cancellationToken: ct);
        return writer;
    }

    public async Task WriteAsync(IReadOnlyList<RunRecord> runRows, IReadOnlyList<CurveRow> curveRows, CancellationToken ct)
    {
        await RunsFile.WriteRowGroupAsync(runs!, runRows, ct);
        await CurvesFile.WriteRowGroupAsync(curves!, curveRows, ct);
    }

    /// <summary>Finishes both files, flushes them to disk and renames them into place.</summary>
    public async Task CommitAsync()
    {
        await CloseAsync();
        File.Move(TempPath(RunsFile.FileName), Path.Combine(directory, RunsFile.FileName), overwrite: true);
        File.Move(TempPath(CurvesFile.FileName), Path.Combine(directory, CurvesFile.FileName), overwrite: true);
        committed = true;
    }

    public async ValueTask DisposeAsync()
    {
        if (!committed)
        {
            try
            {
                await CloseAsync();
            }
            finally
            {
                File.Delete(TempPath(RunsFile.FileName));
                File.Delete(TempPath(CurvesFile.FileName));
            }
        }
    }

    private async Task CloseAsync()
    {
        if (runs is not null)
        {
            await runs.DisposeAsync();
            runs = null;
        }

        if (curves is not null)
        {
            await curves.DisposeAsync();
            curves = null;
        }

        if (runsStream.CanWrite)
        {
            runsStream.Flush(flushToDisk: true);
        }

        if (curvesStream.CanWrite)
        {
            curvesStream.Flush(flushToDisk: true);
        }

        await runsStream.DisposeAsync();
        await curvesStream.DisposeAsync();
    }

    private string TempPath(string name) => Path.Combine(directory, name + suffix);
}
