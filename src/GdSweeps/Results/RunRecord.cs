namespace GdSweeps.Results;

/// <summary>One row of <c>runs.parquet</c>: what defined a run and what it measured. Every column is in docs/results-schema.md.</summary>
/// <remarks>A plain settable row, as Parquet columns are read into it one at a time.</remarks>
public sealed class RunRecord
{
    public string RunId { get; set; } = "";

    public string GroupId { get; set; } = "";

    public long RunIndex { get; set; }

    public bool Refinement { get; set; }

    public string Dataset { get; set; } = "";

    public string DatasetFingerprint { get; set; } = "";

    public int Samples { get; set; }

    public int Features { get; set; }

    public string Transform { get; set; } = "";

    public string TransformX { get; set; } = "";

    public string TransformY { get; set; } = "";

    public string Model { get; set; } = "";

    public string Loss { get; set; } = "";

    public double? HuberDelta { get; set; }

    public double? W0 { get; set; }

    public string W0Label { get; set; } = "";

    public double? InitStd { get; set; }

    public double? B0 { get; set; }

    public string Optimizer { get; set; } = "";

    public string OptimizerLabel { get; set; } = "";

    public double? Beta { get; set; }

    public double? Beta1 { get; set; }

    public double? Beta2 { get; set; }

    public double? Alpha { get; set; }

    public double? Eps { get; set; }

    public int? BatchSize { get; set; }

    public string Schedule { get; set; } = "";

    public int? WarmupSteps { get; set; }

    public int? DecayEvery { get; set; }

    public double? DecayGamma { get; set; }

    public int Steps { get; set; }

    public double? Clip { get; set; }

    public string? ClipMode { get; set; }

    public int Seed { get; set; }

    public double LearningRate { get; set; }

    public string Status { get; set; } = "";

    public string? Error { get; set; }

    public int StepsRun { get; set; }

    public int? DivergedAtStep { get; set; }

    public int? ConvergedAtStep { get; set; }

    public double InitialLoss { get; set; }

    public double FinalLoss { get; set; }

    public double FinalLossOriginal { get; set; }

    public double BestLoss { get; set; }

    public double InitialGradient { get; set; }

    public double InitialGradientNorm { get; set; }

    public double MaxGradientNorm { get; set; }

    public int ClippedSteps { get; set; }

    public double FinalW { get; set; }

    public double? FinalB { get; set; }

    public string FinalParams { get; set; } = "";

    public double? DistanceToOptimum { get; set; }

    public double? WStar { get; set; }

    public double? BStar { get; set; }

    public double? LossStar { get; set; }

    public double? LambdaMax { get; set; }

    public double? LambdaMin { get; set; }

    public double? ConditionNumber { get; set; }

    public double? LrCrit { get; set; }

    public double? LrCritGd { get; set; }
}
