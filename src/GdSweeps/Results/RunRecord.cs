namespace GdSweeps.Results;

/// <summary>One row of <c>runs.parquet</c>: what defined a run and what it measured. Columns are in docs/results-schema.md.</summary>
public sealed record RunRecord
{
    public required string RunId { get; init; }

    public required long RunIndex { get; init; }

    public required string Dataset { get; init; }

    public required string DatasetFingerprint { get; init; }

    public required int Samples { get; init; }

    public required string Transform { get; init; }

    public required string Model { get; init; }

    public required string Loss { get; init; }

    public required string Optimizer { get; init; }

    public required double W0 { get; init; }

    public required double LearningRate { get; init; }

    /// <summary>The clip threshold on the gradient norm; null when the run does not clip.</summary>
    public required double? Clip { get; init; }

    public required int Steps { get; init; }

    public required string Status { get; init; }

    public required int StepsRun { get; init; }

    public required int? DivergedAtStep { get; init; }

    public required int? ConvergedAtStep { get; init; }

    public required double InitialLoss { get; init; }

    public required double FinalLoss { get; init; }

    public required double BestLoss { get; init; }

    public required double InitialGradient { get; init; }

    public required double MaxGradientNorm { get; init; }

    public required int ClippedSteps { get; init; }

    public required double FinalW { get; init; }

    public required double WStar { get; init; }

    public required double LossStar { get; init; }

    public required double LambdaMax { get; init; }

    public required double LrCrit { get; init; }
}
