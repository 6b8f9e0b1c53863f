using System.Globalization;

namespace GdSweeps.Configs;

internal enum OptimizerKind
{
    Gd,
    Sgd,
    Momentum,
    Nesterov,
    Adam,
    RmsProp,
    Adagrad,
    Normalized,
}

/// <summary>An optimizer and its hyperparameters, with PyTorch's defaults where PyTorch has the optimizer.</summary>
internal sealed record OptimizerSpec
{
    public static readonly IReadOnlyList<string> Names = ["gd", "sgd", "momentum", "nesterov", "adam", "rmsprop", "adagrad", "normalized"];

    public required OptimizerKind Kind { get; init; }

    /// <summary>Momentum coefficient (momentum, nesterov).</summary>
    public double? Beta { get; init; }

    public double? Beta1 { get; init; }

    public double? Beta2 { get; init; }

    /// <summary>Smoothing constant of rmsprop.</summary>
    public double? Alpha { get; init; }

    public double? Eps { get; init; }

    /// <summary>Samples per step (sgd); the others use the full batch.</summary>
    public int? BatchSize { get; init; }

    public string Name => Names[(int)Kind];

    public bool FullBatch => Kind != OptimizerKind.Sgd;

    public static OptimizerSpec Gd { get; } = new() { Kind = OptimizerKind.Gd };

    /// <summary>
    /// The spec of <paramref name="kind"/> with every hyperparameter it uses set to the default where not given.
    /// </summary>
    public static OptimizerSpec WithDefaults(OptimizerKind kind, IReadOnlyDictionary<string, double> given)
    {
        double Get(string key, double fallback) => given.TryGetValue(key, out var v) ? v : fallback;
        return kind switch
        {
            OptimizerKind.Sgd => new() { Kind = kind, BatchSize = (int)Get("batch_size", 1) },
            OptimizerKind.Momentum or OptimizerKind.Nesterov => new() { Kind = kind, Beta = Get("beta", 0.9) },
            OptimizerKind.Adam => new() { Kind = kind, Beta1 = Get("beta1", 0.9), Beta2 = Get("beta2", 0.999), Eps = Get("eps", 1e-8) },
            OptimizerKind.RmsProp => new() { Kind = kind, Alpha = Get("alpha", 0.99), Eps = Get("eps", 1e-8) },
            OptimizerKind.Adagrad => new() { Kind = kind, Eps = Get("eps", 1e-10) },
            _ => new() { Kind = kind },
        };
    }

    /// <summary>The hyperparameters each optimizer accepts in a config.</summary>
    public static IReadOnlyList<string> Keys(OptimizerKind kind) => kind switch
    {
        OptimizerKind.Sgd => ["batch_size"],
        OptimizerKind.Momentum or OptimizerKind.Nesterov => ["beta"],
        OptimizerKind.Adam => ["beta1", "beta2", "eps"],
        OptimizerKind.RmsProp => ["alpha", "eps"],
        OptimizerKind.Adagrad => ["eps"],
        _ => [],
    };

    /// <summary>
    /// e.g. <c>adam(beta1=0.9,beta2=0.999,eps=1e-08)</c>; the name alone when there are no hyperparameters.
    /// </summary>
    public string Label
    {
        get
        {
            var parts = new (string Key, double? Value)[]
            {
                ("beta", Beta), ("beta1", Beta1), ("beta2", Beta2), ("alpha", Alpha), ("eps", Eps), ("batch_size", BatchSize),
            }.Where(p => p.Value is not null).Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Key}={p.Value:R}")).ToList();
            return parts.Count == 0 ? Name : $"{Name}({string.Join(",", parts)})";
        }
    }

    /// <summary>
    /// The analytic stability bound on a quadratic with Hessian eigenvalue <paramref name="lambdaMax"/>, where theory
    /// gives one: <c>2/lambda</c> for GD, <c>2(1 + beta)/lambda</c> for heavy-ball momentum,
    /// <c>2(1 + beta)/((1 + 2 beta) lambda)</c> for Nesterov momentum; null for the others.
    /// </summary>
    public double? Bound(double lambdaMax) => Kind switch
    {
        OptimizerKind.Gd => 2 / lambdaMax,
        OptimizerKind.Momentum => 2 * (1 + Beta!.Value) / lambdaMax,
        OptimizerKind.Nesterov => 2 * (1 + Beta!.Value) / ((1 + (2 * Beta!.Value)) * lambdaMax),
        _ => null,
    };

    /// <summary>Which bound <see cref="Bound"/> is, in words, for a report's note.</summary>
    public string? BoundName => BoundNameOf(Name);

    /// <summary>The bound of the optimizer named <paramref name="name"/> (as stored), in words; null where it has none.</summary>
    public static string? BoundNameOf(string? name) => name switch
    {
        "gd" => "2/lambda_max",
        "momentum" => "2(1 + beta)/lambda_max (heavy-ball)",
        "nesterov" => "2(1 + beta)/((1 + 2 beta) lambda_max) (Nesterov)",
        _ => null,
    };
}
