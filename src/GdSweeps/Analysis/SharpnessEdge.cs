using System.Globalization;
using GdSweeps.Training;

namespace GdSweeps.Analysis;

/// <summary>
/// Where a command trainer's measured edge lies against <c>2/sharpness_0</c>, the bound full-batch GD has on the
/// quadratic that matches the loss at the start, and why it lies elsewhere when it does: what the runs' sharpness did
/// against <c>2/lr</c> along training (Cohen et al. 2021: full-batch GD drives the sharpness up to about 2/lr).
/// </summary>
internal static class SharpnessEdge
{
    /// <summary>
    /// The largest sharpness at step 0 over the group's runs (the seeds differ; the learning rate does not change step
    /// 0).
    /// </summary>
    public static double? Sharpness0(GroupRuns group) =>
        group.Sharpness.Select(s => s.Sharpness0).Where(s => s is not null).Max();

    /// <summary>
    /// The finding for a group in a few words (for a table cell) and in full; null when its runs report no sharpness at
    /// step 0.
    /// </summary>
    public static (string Short, string Text)? Statement(GroupRuns group, double? maxStable, double? minUnstable)
    {
        if (Sharpness0(group) is not { } s0 || !(s0 > 0))
        {
            return null;
        }

        var ci = CultureInfo.InvariantCulture;
        var crit = 2 / s0;
        var bound = string.Create(ci, $"2/sharpness_0 = {crit:G4}");
        if (maxStable is null && minUnstable is null)
        {
            return ("-", $"{bound}; no rate tried was stable or unstable");
        }

        if ((maxStable is null || maxStable <= crit) && (minUnstable is null || crit <= minUnstable))
        {
            return maxStable is not null && minUnstable is not null
                ? ("in the bracket", string.Create(ci, $"{bound} lies in the measured bracket [{maxStable:G4}, {minUnstable:G4}]"))
                : minUnstable is null
                    ? ("every rate stable", string.Create(ci, $"{bound}; every rate tried up to {maxStable:G4} was stable, so the edge lies above the rates tried"))
                    : ("every rate unstable", string.Create(ci, $"{bound}; every rate tried from {minUnstable:G4} was unstable, so the edge lies below the rates tried"));
        }

        if (maxStable > crit)
        {
            // Stable above the bound: the sharpness must have come down to 2/lr in those runs, or the run would have blown up.
            var above = group.Sharpness.Where(p => p.LearningRate > crit && p.LearningRate <= maxStable && p.Status.IsStable()).ToList();
            var settled = above.Count(p => p.RatioMin <= 1);
            var ratio = string.Create(ci, $"{maxStable / crit:G3}");
            var edge = minUnstable is null
                ? string.Create(ci, $"every rate tried, up to {maxStable:G4} ({ratio} times it), which was stable")
                : string.Create(ci, $"the measured edge ({maxStable:G4}, {ratio} times it)");
            if (group.Setting["clip"] is not null)
            {
                return ("edge above: clipped", string.Create(ci,
                    $"{bound} lies below {edge}: these runs clip the gradient at {SettingLabels.Value(group.Setting, "clip")}, which caps every step, so a rate past 2/sharpness can stay finite{(settled > 0 ? $" (in {Plural.Of(settled, "stable run")} above it the sharpness also came down to 2/lr or below)" : "")}"));
            }

            return settled > 0
                ? ("edge above: sharpness came down to 2/lr", string.Create(ci, $"{bound} lies below {edge}: in {Plural.Of(settled, "stable run")} above it the sharpness started above 2/lr and came down to 2/lr or below during training (self-stabilization), so they did not diverge"))
                : ("edge above", string.Create(ci, $"{bound} lies below {edge}; the stable runs above it report no sharpness that fell to 2/lr, so the reports cannot say why"));
        }

        // Unstable below the bound: the sharpness rose to 2/lr during training (progressive sharpening).
        var below = group.Sharpness.Where(p => p.LearningRate < crit && p.LearningRate >= minUnstable && p.Status.IsUnstable()).ToList();
        var sharpened = below.Count(p => p.RatioMax >= 1);
        var under = string.Create(ci, $"{minUnstable / crit:G3}");
        return sharpened > 0
            ? ("edge below: sharpness rose past 2/lr", string.Create(ci, $"{bound} lies above the measured edge (first unstable {minUnstable:G4}, {under} times it): in {Plural.Of(sharpened, "unstable run")} below it the sharpness rose past 2/lr during training (progressive sharpening), so a start flat enough for the rate did not stay so"))
            : ("edge below", string.Create(ci, $"{bound} lies above the measured edge (first unstable {minUnstable:G4}, {under} times it); the unstable runs below it report no sharpness past 2/lr, so the reports cannot say why"));
    }
}
