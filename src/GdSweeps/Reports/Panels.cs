using GdSweeps.Analysis;
using GdSweeps.Grid;
using GdSweeps.Results;
using GdSweeps.Running;

namespace GdSweeps.Reports;

/// <summary>One panel of the loss-curve figure: a group and the runs around its edge, each with its curve.</summary>
internal sealed record EdgePanel(GroupSummary Group, IReadOnlyList<(RunPoint Run, IReadOnlyList<(int Step, double Loss)> Curve)> Runs);

/// <summary>
/// One panel of the sharpness figure (a command trainer's sweep): a group and the runs around its edge, each with the
/// sharpness it reported.
/// </summary>
internal sealed record SharpnessPanel(GroupSummary Group, IReadOnlyList<(RunPoint Run, IReadOnlyList<(int Step, double Sharpness)> Curve)> Runs);
