namespace GdSweeps.Analysis;

/// <summary>
/// For one setting (transform, model, loss, optimizer, schedule, clip, start, budget): the learning rates that are stable
/// for every dataset of the sweep at once. One row of <c>transfer.parquet</c>.
/// </summary>
public sealed class TransferSummary
{
    public string Transform { get; set; } = "";

    public string Model { get; set; } = "";

    public string Loss { get; set; } = "";

    public string Optimizer { get; set; } = "";

    public string Schedule { get; set; } = "";

    public double? Clip { get; set; }

    public string? ClipMode { get; set; }

    public string W0 { get; set; } = "";

    public double? B0 { get; set; }

    public int Steps { get; set; }

    public int Datasets { get; set; }

    /// <summary>Smallest and largest learning rate of the longest run of tried rates that stayed stable on every dataset.</summary>
    public double? StableLow { get; set; }

    public double? StableHigh { get; set; }

    /// <summary>The same for rates that converged on every dataset.</summary>
    public double? ConvergedLow { get; set; }

    public double? ConvergedHigh { get; set; }

    /// <summary>The answer in words: the shared interval, or that none exists.</summary>
    public string Statement { get; set; } = "";
}
