using System.Globalization;
using GdSweeps.Grid;
using GdSweeps.Results;
using GdSweeps.Training;
using GdSweeps.Transforms;

namespace GdSweeps.Running;

/// <summary>Turns a run's spec and outcome into the rows that are stored.</summary>
public static class Records
{
    public static RunRecord Run(RunSpec spec, RunOutcome outcome)
    {
        var p = spec.Problem;
        var o = spec.Optimizer;
        var affine = p.Model == ModelKind.Affine;
        var star = p.Optimum;
        var lambda = p.LambdaMax;
        var boundApplies = lambda is not null && o.FullBatch && spec.Schedule.EndsConstant;
        return new RunRecord
        {
            RunId = spec.RunId,
            GroupId = spec.GroupId,
            RunIndex = spec.Index,
            Refinement = spec.IsRefinement,
            Dataset = p.Dataset.Name,
            DatasetFingerprint = p.Dataset.Fingerprint,
            Samples = p.Count,
            Features = p.Features,
            Transform = p.Transform.Label,
            TransformX = string.Join("+", p.Transform.X.Select(Transform.Name)),
            TransformY = string.Join("+", p.Transform.Y.Select(Transform.Name)),
            Model = SweepGrid.ModelName(p.Model),
            Loss = p.Loss.Name,
            HuberDelta = p.Loss.Kind == LossKind.Huber ? p.Loss.Delta : null,
            W0 = spec.Init.ScalarWeight,
            W0Label = spec.Init.Label,
            InitStd = spec.Init.RandomStd,
            B0 = affine ? spec.Init.Bias : null,
            Optimizer = o.Name,
            OptimizerLabel = o.Label,
            Beta = o.Beta,
            Beta1 = o.Beta1,
            Beta2 = o.Beta2,
            Alpha = o.Alpha,
            Eps = o.Eps,
            BatchSize = o.BatchSize,
            Schedule = spec.Schedule.Label,
            WarmupSteps = spec.Schedule.WarmupSteps,
            DecayEvery = spec.Schedule.DecayEvery,
            DecayGamma = spec.Schedule.DecayGamma,
            Steps = spec.Steps,
            Clip = spec.Clip?.Threshold,
            ClipMode = spec.Clip?.ModeName,
            Seed = spec.Seed,
            LearningRate = spec.LearningRate,
            Status = outcome.Status.Name(),
            Error = outcome.Error,
            StepsRun = outcome.StepsRun,
            DivergedAtStep = outcome.DivergedAtStep,
            ConvergedAtStep = outcome.ConvergedAtStep,
            InitialLoss = outcome.InitialLoss,
            FinalLoss = outcome.FinalLoss,
            FinalLossOriginal = outcome.FinalLossOriginal,
            BestLoss = outcome.BestLoss,
            InitialGradient = outcome.InitialGradient.Length > 0 ? outcome.InitialGradient[0] : double.NaN,
            InitialGradientNorm = outcome.InitialGradient.Length > 0 ? Optimizer.Norm(outcome.InitialGradient) : double.NaN,
            MaxGradientNorm = outcome.MaxGradientNorm,
            ClippedSteps = outcome.ClippedSteps,
            FinalW = outcome.FinalParameters.Length > 0 ? outcome.FinalParameters[0] : double.NaN,
            FinalB = affine && outcome.FinalParameters.Length > 0 ? outcome.FinalParameters[^1] : null,
            FinalParams = Vector(outcome.FinalParameters),
            DistanceToOptimum = outcome.DistanceToOptimum,
            WStar = star?[0],
            BStar = affine ? star?[^1] : null,
            LossStar = p.LossStar,
            LambdaMax = lambda,
            LambdaMin = p.LambdaMin,
            ConditionNumber = p.ConditionNumber,
            LrCrit = boundApplies ? o.Bound(lambda!.Value) : null,
            LrCritGd = p.LrCritGd,
        };
    }

    /// <summary>The record of a run that threw: status failed, with the error, so the sweep goes on.</summary>
    public static RunOutcome Failed(Exception error) => new()
    {
        Status = RunStatus.Failed,
        Error = $"{error.GetType().Name}: {error.Message}",
        StepsRun = 0,
        InitialLoss = double.NaN,
        FinalLoss = double.NaN,
        FinalLossOriginal = double.NaN,
        BestLoss = double.NaN,
        InitialGradient = [],
        MaxGradientNorm = double.NaN,
        ClippedSteps = 0,
        InitialParameters = [],
        FinalParameters = [],
        Curve = [],
    };

    public static void AddCurve(List<CurveRow> rows, string runId, CurvePoint[] curve)
    {
        foreach (var c in curve)
        {
            rows.Add(new CurveRow { RunId = runId, Step = c.Step, Loss = c.Loss, Gradient = c.Gradient, GradientNorm = c.GradientNorm, W = c.W });
        }
    }

    private static string Vector(double[] values) =>
        "[" + string.Join(", ", values.Select(v => v.ToString("R", CultureInfo.InvariantCulture))) + "]";
}
