using System.Globalization;

namespace GdSweeps.Configs;

/// <summary>
/// A learning-rate schedule: an optional linear warmup and an optional step decay; neither means constant.
/// </summary>
internal sealed record ScheduleSpec(int? WarmupSteps = null, int? DecayEvery = null, double? DecayGamma = null)
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

    /// <summary>
    /// After any warmup the rate is constant, so a constant-rate bound still applies; a decay changes it.
    /// </summary>
    public bool EndsConstant => DecayEvery is null;
}
