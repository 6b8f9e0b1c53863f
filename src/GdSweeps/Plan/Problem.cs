using GdSweeps.Configs;
using GdSweeps.Data;
using GdSweeps.Numerics;
using GdSweeps.Transforms;

namespace GdSweeps.Plan;

/// <summary>
/// One dataset under one transform, with one model and loss: the design matrix, its sums, the closed-form optimum and
/// the Hessian's spectrum. Built once and shared read-only by every run that uses it.
/// </summary>
internal sealed class Problem
{
    public Problem(Dataset dataset, TransformSpec transform, ModelKind model, LossSpec loss)
    {
        Dataset = dataset;
        Transform = transform;
        Model = model;
        Loss = loss;
        Features = dataset.Features;
        Parameters = Features + (model == ModelKind.Affine ? 1 : 0);
        var n = dataset.Count;

        XFits = new FittedPipeline[Features];
        Z = new double[n * Parameters];
        for (var j = 0; j < Features; j++)
        {
            XFits[j] = FittedPipeline.Fit(transform.X, dataset.Column(j), out var column);
            for (var i = 0; i < n; i++)
            {
                Z[(i * Parameters) + j] = column[i];
            }
        }

        if (model == ModelKind.Affine)
        {
            for (var i = 0; i < n; i++)
            {
                Z[(i * Parameters) + Features] = 1;
            }
        }

        YFit = FittedPipeline.Fit(transform.Y, dataset.Y, out var y);
        Y = y;

        A = new double[Parameters * Parameters];
        B = new double[Parameters];
        var zj = new double[n];
        var zk = new double[n];
        for (var j = 0; j < Parameters; j++)
        {
            CopyColumn(j, zj);
            B[j] = Sums.Dot(zj, Y);
            for (var k = 0; k <= j; k++)
            {
                CopyColumn(k, zk);
                A[(j * Parameters) + k] = A[(k * Parameters) + j] = Sums.Dot(zj, zk);
            }
        }

        C = Sums.Dot(Y, Y);
        if (A.Any(v => !double.IsFinite(v)) || !double.IsFinite(C))
        {
            throw new ArgumentException("the transformed data overflow float64");
        }

        if (Model == ModelKind.Linear && Enumerable.Range(0, Features).All(j => A[(j * Parameters) + j] == 0))
        {
            throw new ArgumentException("every x is 0 after the transform, so y = w*x cannot be fitted");
        }

        var (values, vectors) = SymmetricEigen.Decompose(A, Parameters);
        Eigenvalues = [.. values.Select(v => 2 * v / n)];
        Eigenvectors = vectors;
        HessianMax = 2 * values[0] / n;
        HessianMin = 2 * values[^1] / n;
        if (values[^1] > SingularRatio * values[0])
        {
            ThetaStar = SolveNormalEquations(values, vectors);
            QuadraticLossStar = MseLoss(ThetaStar);
        }

        Curvature = [.. A.Select(v => v / n)];
    }

    /// <summary>
    /// An eigenvalue of <c>Z^T Z</c> at most this fraction of the largest counts as zero: round-off of a singular
    /// matrix.
    /// </summary>
    public const double SingularRatio = 1e-13;

    public Dataset Dataset { get; }

    public TransformSpec Transform { get; }

    public ModelKind Model { get; }

    public LossSpec Loss { get; }

    public int Count => Y.Length;

    public int Features { get; }

    /// <summary>Weights, then the bias if the model has one.</summary>
    public int Parameters { get; }

    /// <summary>
    /// Design matrix, row-major n x p: the transformed features, and a column of ones for an affine model.
    /// </summary>
    public double[] Z { get; }

    /// <summary>Transformed targets.</summary>
    public double[] Y { get; }

    public FittedPipeline[] XFits { get; }

    public FittedPipeline YFit { get; }

    /// <summary><c>Z^T Z</c>, row-major p x p.</summary>
    public double[] A { get; }

    /// <summary><c>Z^T y</c>.</summary>
    public double[] B { get; }

    /// <summary><c>y^T y</c>.</summary>
    public double C { get; }

    /// <summary><c>A / n</c>: the MSE is <c>L* + e^T (A/n) e</c> with <c>e = theta - theta*</c>.</summary>
    public double[] Curvature { get; }

    /// <summary>The least-squares optimum from the normal equations; null when <c>Z^T Z</c> is singular.</summary>
    public double[]? ThetaStar { get; }

    /// <summary>The MSE at <see cref="ThetaStar"/>, over the samples.</summary>
    public double QuadraticLossStar { get; }

    /// <summary>Largest eigenvalue of the MSE Hessian <c>(2/n) Z^T Z</c>.</summary>
    public double HessianMax { get; }

    public double HessianMin { get; }

    /// <summary>Eigenvalues of the MSE Hessian <c>(2/n) Z^T Z</c>, largest first.</summary>
    public double[] Eigenvalues { get; }

    /// <summary>The matching unit eigenvectors, as the columns of a row-major p x p matrix.</summary>
    public double[] Eigenvectors { get; }

    /// <summary>The optimum of this problem's loss where it has a closed form (MSE only).</summary>
    public double[]? Optimum => Loss.IsQuadratic ? ThetaStar : null;

    /// <summary>The loss at <see cref="Optimum"/>; null without one.</summary>
    public double? LossStar => Optimum is null ? null : QuadraticLossStar;

    public double? LambdaMax => Loss.IsQuadratic ? HessianMax : null;

    public double? LambdaMin => Loss.IsQuadratic ? HessianMin : null;

    public double? ConditionNumber => Loss.IsQuadratic ? (HessianMin > 0 ? HessianMax / HessianMin : double.PositiveInfinity) : null;

    /// <summary>
    /// Full-batch GD is stable if and only if <c>lr &lt; 2 / lambda_max</c>; null where the loss is not quadratic.
    /// </summary>
    public double? LrCritGd => Loss.IsQuadratic ? 2 / HessianMax : null;

    /// <summary>
    /// Whether the full-batch MSE can be taken from the sums (O(p^2) a step) rather than the samples.
    /// </summary>
    public bool HasSums => Loss.IsQuadratic;

    /// <summary>The MSE over the samples, with compensated sums (once per problem, for <c>L*</c>).</summary>
    private double MseLoss(ReadOnlySpan<double> theta)
    {
        var residuals = new double[Count];
        for (var i = 0; i < residuals.Length; i++)
        {
            double prediction = 0;
            for (var j = 0; j < Parameters; j++)
            {
                prediction += Z[(i * Parameters) + j] * theta[j];
            }

            residuals[i] = prediction - Y[i];
        }

        return Sums.Dot(residuals, residuals) / residuals.Length;
    }

    private void CopyColumn(int j, double[] column)
    {
        for (var i = 0; i < column.Length; i++)
        {
            column[i] = Z[(i * Parameters) + j];
        }
    }

    /// <summary><c>theta* = V diag(1/lambda) V^T b</c>.</summary>
    private double[] SolveNormalEquations(double[] values, double[] vectors)
    {
        var p = Parameters;
        var theta = new double[p];
        for (var k = 0; k < p; k++)
        {
            double projection = 0;
            for (var r = 0; r < p; r++)
            {
                projection += vectors[(r * p) + k] * B[r];
            }

            projection /= values[k];
            for (var r = 0; r < p; r++)
            {
                theta[r] += vectors[(r * p) + k] * projection;
            }
        }

        // Solving 1x1 exactly keeps the seed's numbers exact: w* = sum(x*y) / sum(x^2).
        return p == 1 ? [B[0] / A[0]] : theta;
    }
}
