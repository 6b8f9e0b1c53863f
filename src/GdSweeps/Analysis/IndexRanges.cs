namespace GdSweeps.Analysis;

/// <summary>
/// A set of whole numbers kept as sorted, disjoint ranges: the grid indices stored so far, which arrive mostly in
/// runs of consecutive numbers (a part's), so the set holds a few ranges however many numbers.
/// </summary>
internal sealed class IndexRanges
{
    private readonly List<(long Low, long High)> ranges = [];
    private int last = -1;

    /// <summary>The number of ranges held.</summary>
    public int Count => ranges.Count;

    public void Add(long i)
    {
        // The common case: the number after the range added to last.
        if (last >= 0 && ranges[last].High + 1 == i && (last + 1 == ranges.Count || ranges[last + 1].Low > i))
        {
            ranges[last] = (ranges[last].Low, i);
            MergeNext(last);
            return;
        }

        var at = Find(i);
        if (at >= 0 && ranges[at].High >= i)
        {
            last = at;
            return; // held already
        }

        // ranges[at] (if any) ends before i; ranges[at + 1] (if any) starts after it.
        if (at >= 0 && ranges[at].High + 1 == i)
        {
            ranges[at] = (ranges[at].Low, i);
            last = at;
        }
        else if (at + 1 < ranges.Count && ranges[at + 1].Low - 1 == i)
        {
            ranges[at + 1] = (i, ranges[at + 1].High);
            last = at + 1;
        }
        else
        {
            ranges.Insert(at + 1, (i, i));
            last = at + 1;
        }

        MergeNext(last);
    }

    public bool Contains(long i) => Find(i) is var at && at >= 0 && ranges[at].High >= i;

    /// <summary>The last range starting at or before <paramref name="i"/>; -1 when none does.</summary>
    private int Find(long i)
    {
        int low = 0, high = ranges.Count - 1;
        while (low <= high)
        {
            var mid = (low + high) >>> 1;
            if (ranges[mid].Low <= i)
            {
                low = mid + 1;
            }
            else
            {
                high = mid - 1;
            }
        }

        return high;
    }

    /// <summary>Joins range <paramref name="at"/> with the next when they touch.</summary>
    private void MergeNext(int at)
    {
        if (at + 1 < ranges.Count && ranges[at + 1].Low <= ranges[at].High + 1)
        {
            ranges[at] = (ranges[at].Low, Math.Max(ranges[at].High, ranges[at + 1].High));
            ranges.RemoveAt(at + 1);
        }
    }
}
