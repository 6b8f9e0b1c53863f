using GdSweeps.Plan;

namespace GdSweeps.Training;

/// <summary>
/// The size of each eigen-component of a run's error over the last two eighths of its budget: the largest in the
/// earlier eighth and in the later one. A component that is not smaller in the later eighth (and above round-off) is
/// not shrinking: for clipped GD and momentum on MSE, the sign that the run only swings, held by the clip.
/// </summary>
/// <remarks>
/// Along an eigenvector of the Hessian each direction evolves on its own wherever the clip does not cap the step,
/// which is what decides convergence; comparing windows, not two steps, reads momentum's turning components and a
/// 2-cycle alike. Without an optimum the gradient's components stand in (along an eigenvector with lambda &gt; 0 the
/// gradient is lambda times the error).
/// </remarks>
internal sealed class Components
{
    private readonly Problem problem;
    private readonly int width;
    private readonly int budget;
    private readonly double[] earlier;
    private readonly double[] later;
    private readonly int[] directions;

    public Components(Problem problem, int budget)
    {
        this.problem = problem;
        this.budget = budget;
        width = Width(budget);
        var p = problem.Parameters;
        directions = p == 1 ? [0] : [.. Enumerable.Range(0, p).Where(k => problem.Eigenvalues[k] > Problem.SingularRatio * problem.Eigenvalues[0])];
        earlier = new double[p];
        later = new double[p];
    }

    /// <summary>The width of each window, an eighth of the budget.</summary>
    public static int Width(int budget) => Math.Max(1, budget / 8);

    /// <summary>Whether step <paramref name="t"/> lies in the two windows (only those cost a projection).</summary>
    public bool Wants(int t) => t > budget - (2 * width);

    /// <summary>Records the error (or gradient) <paramref name="e"/> before update <paramref name="t"/>.</summary>
    public void Observe(int t, ReadOnlySpan<double> e)
    {
        var into = t > budget - width ? later : earlier;
        var p = e.Length;
        foreach (var k in directions)
        {
            double c;
            if (p == 1)
            {
                c = e[0];
            }
            else
            {
                c = 0;
                var vectors = problem.Eigenvectors;
                for (var r = 0; r < p; r++)
                {
                    c += vectors[(r * p) + k] * e[r];
                }
            }

            into[k] = Math.Max(into[k], Math.Abs(c));
        }
    }

    /// <summary>Some component above <paramref name="floor"/> was larger in the last eighth than in the one before.</summary>
    public bool Grew(double floor)
    {
        foreach (var k in directions)
        {
            if (later[k] > floor && later[k] > earlier[k])
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Some component above <paramref name="floor"/> was no smaller in the last eighth than in the one before.</summary>
    public bool Stuck(double floor)
    {
        foreach (var k in directions)
        {
            if (later[k] > floor && later[k] >= earlier[k])
            {
                return true;
            }
        }

        return false;
    }
}
