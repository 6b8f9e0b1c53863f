using System.Globalization;

namespace GdSweeps.Configs;

internal enum ClipMode
{
    /// <summary>Scale the gradient to norm c when its norm exceeds c (clip_grad_norm_ without its 1e-6).</summary>
    Norm,

    /// <summary>Clamp each component to [-c, c] (clip_grad_value_).</summary>
    Value,
}

/// <summary>A gradient clipping rule; a run without clipping has none.</summary>
internal sealed record ClipSpec(ClipMode Mode, double Threshold)
{
    public string ModeName => Mode == ClipMode.Norm ? "norm" : "value";

    public string Label => string.Create(CultureInfo.InvariantCulture, $"{ModeName}={Threshold:R}");
}
