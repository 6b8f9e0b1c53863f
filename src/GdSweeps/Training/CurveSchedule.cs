namespace GdSweeps.Training;

/// <summary>
/// The steps at which a run's curve is kept: every step, or steps 0 to 10, then about 20 per decade, and the last.
/// </summary>
internal static class CurveSchedule
{
    public static int[] Steps(int budget, bool all)
    {
        if (all)
        {
            return Enumerable.Range(0, budget + 1).ToArray();
        }

        var steps = new SortedSet<int>();
        for (var s = 0; s <= Math.Min(10, budget); s++)
        {
            steps.Add(s);
        }

        for (var k = 20; ; k++)
        {
            var s = (int)Math.Round(Math.Pow(10, k / 20.0));
            if (s > budget)
            {
                break;
            }

            steps.Add(s);
        }

        steps.Add(budget);
        return [.. steps];
    }
}
