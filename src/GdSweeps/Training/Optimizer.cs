using GdSweeps.Configs;

namespace GdSweeps.Training;

/// <summary>The state of one run's optimizer and its update rule, written as PyTorch's optimizers compute it.</summary>
internal sealed class Optimizer
{
    private readonly OptimizerSpec spec;
    private readonly double[] first;
    private readonly double[] second;

    public Optimizer(OptimizerSpec spec, int parameters)
    {
        this.spec = spec;
        first = new double[parameters];
        second = new double[parameters];
    }

    /// <summary>
    /// Applies update number <paramref name="t"/> (1-based) with gradient <paramref name="g"/> to
    /// <paramref name="theta"/>.
    /// </summary>
    public void Step(Span<double> theta, ReadOnlySpan<double> g, double lr, int t)
    {
        switch (spec.Kind)
        {
            case OptimizerKind.Gd or OptimizerKind.Sgd:
                for (var j = 0; j < theta.Length; j++)
                {
                    theta[j] -= lr * g[j];
                }

                break;
            case OptimizerKind.Momentum or OptimizerKind.Nesterov:
                {
                    var beta = spec.Beta!.Value;
                    var nesterov = spec.Kind == OptimizerKind.Nesterov;
                    for (var j = 0; j < theta.Length; j++)
                    {
                        // torch.optim.SGD: buf = g on the first step, then beta * buf + g
                        first[j] = t == 1 ? g[j] : (beta * first[j]) + g[j];
                        theta[j] -= lr * (nesterov ? g[j] + (beta * first[j]) : first[j]);
                    }

                    break;
                }

            case OptimizerKind.Adam:
                {
                    var (beta1, beta2, eps) = (spec.Beta1!.Value, spec.Beta2!.Value, spec.Eps!.Value);
                    var correction1 = 1 - Math.Pow(beta1, t);
                    var correction2Sqrt = Math.Sqrt(1 - Math.Pow(beta2, t));
                    var stepSize = lr / correction1;
                    for (var j = 0; j < theta.Length; j++)
                    {
                        first[j] = (beta1 * first[j]) + ((1 - beta1) * g[j]);
                        second[j] = (beta2 * second[j]) + ((1 - beta2) * g[j] * g[j]);
                        var denominator = (Math.Sqrt(second[j]) / correction2Sqrt) + eps;
                        theta[j] -= stepSize * (first[j] / denominator);
                    }

                    break;
                }

            case OptimizerKind.RmsProp:
                {
                    var (alpha, eps) = (spec.Alpha!.Value, spec.Eps!.Value);
                    for (var j = 0; j < theta.Length; j++)
                    {
                        second[j] = (alpha * second[j]) + ((1 - alpha) * g[j] * g[j]);
                        theta[j] -= lr * g[j] / (Math.Sqrt(second[j]) + eps);
                    }

                    break;
                }

            case OptimizerKind.Adagrad:
                {
                    var eps = spec.Eps!.Value;
                    for (var j = 0; j < theta.Length; j++)
                    {
                        second[j] += g[j] * g[j];
                        theta[j] -= lr * g[j] / (Math.Sqrt(second[j]) + eps);
                    }

                    break;
                }

            case OptimizerKind.Normalized:
                {
                    var norm = Norm(g);
                    if (norm > 0)
                    {
                        for (var j = 0; j < theta.Length; j++)
                        {
                            theta[j] -= lr * g[j] / norm;
                        }
                    }

                    break;
                }

            default:
                throw new InvalidOperationException($"unknown optimizer {spec.Kind}");
        }
    }

    public static double Norm(ReadOnlySpan<double> v)
    {
        if (v.Length == 1)
        {
            return Math.Abs(v[0]);
        }

        double sum = 0;
        foreach (var x in v)
        {
            sum += x * x;
        }

        return Math.Sqrt(sum);
    }
}
