using System.Globalization;

namespace GdSweeps.Configs;

/// <summary><c>linear</c>: y = X w; <c>affine</c>: y = X w + b.</summary>
public enum ModelKind
{
    Linear,
    Affine,
}

/// <summary>Model names as written in configs and stored.</summary>
public static class ModelKinds
{
    public static string Name(this ModelKind model) => model == ModelKind.Linear ? "linear" : "affine";
}

public enum LossKind
{
    /// <summary><c>mean((pred - y)^2)</c>, no 1/2, as PyTorch's mse_loss.</summary>
    Mse,

    /// <summary><c>mean(huber_delta(pred - y))</c>, as PyTorch's huber_loss: quadratic (with 1/2) within delta, linear beyond.</summary>
    Huber,
}

/// <summary>A loss and its parameter.</summary>
public sealed record LossSpec(LossKind Kind, double Delta = 1.0)
{
    public static LossSpec Mse { get; } = new(LossKind.Mse);

    public string Name => Kind == LossKind.Mse ? "mse" : "huber";

    public string Label => Kind == LossKind.Mse ? "mse" : string.Create(CultureInfo.InvariantCulture, $"huber(delta={Delta:R})");

    /// <summary>Only a quadratic loss has a closed-form optimum and an analytic stability bound.</summary>
    public bool IsQuadratic => Kind == LossKind.Mse;
}

public enum ClipMode
{
    /// <summary>Scale the gradient to norm c when its norm exceeds c (clip_grad_norm_ without its 1e-6).</summary>
    Norm,

    /// <summary>Clamp each component to [-c, c] (clip_grad_value_).</summary>
    Value,
}

/// <summary>A gradient clipping rule; a run without clipping has none.</summary>
public sealed record ClipSpec(ClipMode Mode, double Threshold)
{
    public string ModeName => Mode == ClipMode.Norm ? "norm" : "value";

    public string Label => string.Create(CultureInfo.InvariantCulture, $"{ModeName}={Threshold:R}");
}

/// <summary>A learning-rate schedule: an optional linear warmup and an optional step decay; neither means constant.</summary>
public sealed record ScheduleSpec(int? WarmupSteps = null, int? DecayEvery = null, double? DecayGamma = null)
{
    public static ScheduleSpec Constant { get; } = new();

    public string Name => (WarmupSteps, DecayEvery) switch
    {
        (null, null) => "constant",
        (_, null) => "warmup",
        (null, _) => "step",
        _ => "warmup+step",
    };

    public string Label => (WarmupSteps, DecayEvery) switch
    {
        (null, null) => "constant",
        _ => string.Join("+", new[]
        {
            WarmupSteps is { } w ? $"warmup({w})" : null,
            DecayEvery is { } e ? string.Create(CultureInfo.InvariantCulture, $"step(every={e},gamma={DecayGamma:R})") : null,
        }.OfType<string>()),
    };

    /// <summary>The factor on the learning rate at step <paramref name="t"/> (0-based).</summary>
    public double Factor(int t)
    {
        var factor = WarmupSteps is { } w && t < w ? (t + 1.0) / w : 1.0;
        return DecayEvery is { } every ? factor * Math.Pow(DecayGamma!.Value, t / every) : factor;
    }

    /// <summary>After any warmup the rate is constant, so a constant-rate bound still applies; a decay changes it.</summary>
    public bool EndsConstant => DecayEvery is null;
}

/// <summary>Where a run's weights start: given (one value for all features, or one each), or Gaussian draws from the run's seed.</summary>
public sealed record InitSpec(double[]? Weights, double? RandomStd)
{
    public static InitSpec Scalar(double w) => new([w], null);

    public string Label => RandomStd is { } std
        ? string.Create(CultureInfo.InvariantCulture, $"normal(std={std:R})")
        : Weights!.Length == 1 ? Weights[0].ToString("R", CultureInfo.InvariantCulture)
        : "[" + string.Join(",", Weights.Select(w => w.ToString("R", CultureInfo.InvariantCulture))) + "]";

    /// <summary>The single starting weight, when every weight starts at the same given value.</summary>
    public double? ScalarWeight => RandomStd is null && Weights!.Length == 1 ? Weights[0] : null;

    public bool Equals(InitSpec? other) =>
        other is not null && RandomStd == other.RandomStd && (Weights ?? []).AsSpan().SequenceEqual(other.Weights ?? []);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(RandomStd);
        foreach (var w in Weights ?? [])
        {
            hash.Add(w);
        }

        return hash.ToHashCode();
    }

    /// <summary>Fills the starting parameters: the weights, then <paramref name="bias"/> if the model has one.</summary>
    public void Fill(Span<double> theta, int features, int seed, double bias)
    {
        var random = RandomStd is null ? null : new Random(seed);
        for (var j = 0; j < features; j++)
        {
            theta[j] = random is not null ? RandomStd!.Value * Data.Generator.Gaussian(random) : Weights!.Length == 1 ? Weights[0] : Weights[j];
        }

        if (theta.Length > features)
        {
            theta[features] = bias;
        }
    }
}
