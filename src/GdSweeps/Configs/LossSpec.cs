using System.Globalization;

namespace GdSweeps.Configs;

internal enum LossKind
{
    /// <summary><c>mean((pred - y)^2)</c>, no 1/2, as PyTorch's mse_loss.</summary>
    Mse,

    /// <summary>
    /// <c>mean(huber_delta(pred - y))</c>, as PyTorch's huber_loss: quadratic (with 1/2) within delta, linear beyond.
    /// </summary>
    Huber,
}

/// <summary>A loss and its parameter.</summary>
internal sealed record LossSpec(LossKind Kind, double Delta = 1.0)
{
    public static LossSpec Mse { get; } = new(LossKind.Mse);

    public string Name => Kind == LossKind.Mse ? "mse" : "huber";

    public string Label => Kind == LossKind.Mse ? "mse" : string.Create(CultureInfo.InvariantCulture, $"huber(delta={Delta:R})");

    /// <summary>Only a quadratic loss has a closed-form optimum and an analytic stability bound.</summary>
    public bool IsQuadratic => Kind == LossKind.Mse;
}
