using GdSweeps.Data;
using GdSweeps.Transforms;

namespace GdSweeps.Training;

/// <summary>
/// One dataset under one transform, ready to train <c>y = w*x</c> with MSE: the transformed samples, their sums, the
/// closed-form optimum and the analytic stability bound. Built once and shared read-only by every run that uses it.
/// </summary>
public sealed class LinearProblem
{
    public LinearProblem(Dataset dataset, TransformKind transform)
    {
        Dataset = dataset;
        Transform = transform;
        XFit = Transforms.Transform.Fit(transform, dataset.X);
        YFit = Transforms.Transform.Fit(transform, dataset.Y);
        X = XFit.Apply(dataset.X);
        Y = YFit.Apply(dataset.Y);
        Sxx = Sums.Dot(X, X);
        Sxy = Sums.Dot(X, Y);
        Syy = Sums.Dot(Y, Y);
        if (!(Sxx > 0) || !double.IsFinite(Sxx) || !double.IsFinite(Syy))
        {
            throw new ArgumentException(Sxx == 0
                ? "every x is 0 after the transform, so y = w*x cannot be fitted"
                : "the transformed data overflow float64");
        }

        WStar = Sxy / Sxx;
        LossStar = LinearMse.Loss(X, Y, WStar);
        Curvature = Sxx / X.Length;
    }

    public Dataset Dataset { get; }

    public TransformKind Transform { get; }

    public FittedTransform XFit { get; }

    public FittedTransform YFit { get; }

    /// <summary>Transformed features.</summary>
    public double[] X { get; }

    /// <summary>Transformed targets.</summary>
    public double[] Y { get; }

    public int Count => X.Length;

    public double Sxx { get; }

    public double Sxy { get; }

    public double Syy { get; }

    /// <summary>The closed-form optimum <c>sum(x*y) / sum(x^2)</c>.</summary>
    public double WStar { get; }

    /// <summary>The loss at <see cref="WStar"/>, computed over the samples.</summary>
    public double LossStar { get; }

    /// <summary><c>sum(x^2) / n</c>: the loss is <c>LossStar + Curvature * (w - WStar)^2</c>.</summary>
    public double Curvature { get; }

    /// <summary>The Hessian of the loss, <c>(2/n) sum(x^2)</c>.</summary>
    public double LambdaMax => 2 * Curvature;

    /// <summary>Full-batch GD is stable if and only if <c>lr &lt; LrCrit = 2 / LambdaMax</c>.</summary>
    public double LrCrit => 2 / LambdaMax;
}
