namespace GdSweeps.Transforms;

/// <summary>
/// The preprocessing of one axis value: a pipeline for the features and one for the target, each applied in order.
/// </summary>
internal sealed record TransformSpec(IReadOnlyList<TransformKind> X, IReadOnlyList<TransformKind> Y)
{
    public static TransformSpec Both(params TransformKind[] pipeline) => new(pipeline, pipeline);

    /// <summary><c>log1p</c>, <c>log1p+standardize</c>, or <c>x=log1p,y=none</c> when the two sides differ.</summary>
    public string Label => SameOnBothSides ? Pipeline(X) : $"x={Pipeline(X)},y={Pipeline(Y)}";

    public bool SameOnBothSides => X.SequenceEqual(Y);

    public bool Equals(TransformSpec? other) => other is not null && X.SequenceEqual(other.X) && Y.SequenceEqual(other.Y);

    public override int GetHashCode() => Label.GetHashCode(StringComparison.Ordinal);

    private static string Pipeline(IReadOnlyList<TransformKind> steps) => string.Join("+", steps.Select(Transform.Name));
}

/// <summary>A pipeline fitted on one column: every step fitted on the output of the one before.</summary>
internal sealed class FittedPipeline
{
    private readonly FittedTransform[] steps;

    private FittedPipeline(FittedTransform[] steps) => this.steps = steps;

    /// <summary>Each step with its fitted parameters, in the order applied.</summary>
    public IReadOnlyList<FittedTransform> Steps => steps;

    /// <summary>
    /// Fits and applies <paramref name="pipeline"/> to <paramref name="values"/>; throws
    /// <see cref="ArgumentException"/> when a step cannot apply.
    /// </summary>
    public static FittedPipeline Fit(IReadOnlyList<TransformKind> pipeline, double[] values, out double[] transformed)
    {
        var fitted = new FittedTransform[pipeline.Count];
        transformed = values;
        for (var k = 0; k < pipeline.Count; k++)
        {
            fitted[k] = Transform.Fit(pipeline[k], transformed);
            transformed = fitted[k].Apply(transformed);
        }

        return new FittedPipeline(fitted);
    }

    public double Apply(double v)
    {
        foreach (var step in steps)
        {
            v = step.Apply(v);
        }

        return v;
    }

    public double Inverse(double t)
    {
        for (var k = steps.Length - 1; k >= 0; k--)
        {
            t = steps[k].Inverse(t);
        }

        return t;
    }
}
