using System.Text;
using GdSweeps.Commands;

namespace GdSweeps.Tests.Commands;

/// <summary>
/// The protocol's lines are read strictly: numbers by name, Python's non-finite floats included, anything else a named
/// failure.
/// </summary>
[TestClass]
public sealed class ProtocolTests
{
    private static readonly string[] Metrics = ["accuracy"];

    [TestMethod]
    public void A_step_line_gives_its_step_loss_and_numbers()
    {
        var line = Protocol.Parse("""{"step": 3, "loss": 0.5, "grad_norm": 1.25, "sharpness": null, "accuracy": 0.75}""", Metrics);

        Assert.AreEqual(3, line.Step);
        Assert.AreEqual(0.5, line.Loss);
        Assert.AreEqual(1.25, line.Get("grad_norm"));
        Assert.IsNull(line.Get("sharpness"));
        Assert.AreEqual(0.75, line.Get("accuracy"));
    }

    [TestMethod]
    [DataRow("NaN", double.NaN)]
    [DataRow("Infinity", double.PositiveInfinity)]
    [DataRow("-Infinity", double.NegativeInfinity)]
    [DataRow("1e400", double.PositiveInfinity)]
    public void Python_s_non_finite_floats_are_read_as_the_numbers_they_mean(string written, double expected)
    {
        var line = Protocol.Parse($$"""{"step": 7, "loss": {{written}}}""", Metrics);

        Assert.AreEqual(expected, line.Loss);
    }

    [TestMethod]
    public void A_NaN_inside_a_string_is_left_alone_and_the_string_is_not_a_number()
    {
        var error = Assert.ThrowsExactly<ProtocolException>(() => Protocol.Parse("""{"step": 1, "loss": "NaN text"}""", Metrics));

        StringAssert.Contains(error.Message, "\"loss\" must be a number");
    }

    [TestMethod]
    public void The_final_line_carries_the_loss_in_units_of_y_and_declared_metrics()
    {
        var line = Protocol.Parse("""{"final": {"loss_original": 2.5, "accuracy": 0.9}}""", Metrics);

        Assert.IsTrue(line.IsFinal);
        Assert.AreEqual(2.5, line.Get(Protocol.LossOriginal));
        Assert.AreEqual(0.9, line.Get("accuracy"));
    }

    [TestMethod]
    [DataRow("""{"step": 1}""", "needs \"step\" and \"loss\"")]
    [DataRow("""{"step": 1.5, "loss": 1}""", "whole number")]
    [DataRow("""{"step": -1, "loss": 1}""", "whole number")]
    [DataRow("""{"step": 1, "loss": 1, "acc": 2}""", "declare it under trainer.metrics")]
    [DataRow("""{"step": 1, "loss": 1, "loss": 2}""", "given twice")]
    [DataRow("""{"step": 1, "loss": [1]}""", "must be a number")]
    [DataRow("""{"step": 1, "loss": 1""", "not a JSON object")]
    [DataRow("""{"final": {"x": 1}}""", "declare it under trainer.metrics")]
    [DataRow("""{"final": {}, "step": 1}""", "alone")]
    public void A_line_that_breaks_the_protocol_says_how(string text, string message)
    {
        var error = Assert.ThrowsExactly<ProtocolException>(() => Protocol.Parse(text, Metrics));

        StringAssert.Contains(error.Message, message);
    }

    [TestMethod]
    public void Only_a_line_starting_with_a_brace_is_meant_as_the_protocol()
    {
        Assert.IsTrue(Protocol.IsProtocol("  {\"step\": 0}"));
        Assert.IsFalse(Protocol.IsProtocol("epoch 1: loss {0.5}"));
    }

    [TestMethod]
    public void Steps_start_at_0_increase_stay_within_the_budget_and_nothing_follows_the_final_line()
    {
        var curve = new ReportedCurve(budget: 10, threshold: 1e12, Metrics);
        Assert.ThrowsExactly<ProtocolException>(() => curve.Add(Line(2, 1)));
        curve.Add(Line(0, 1));
        curve.Add(Line(4, 0.5));
        Assert.ThrowsExactly<ProtocolException>(() => curve.Add(Line(4, 0.4)));
        Assert.ThrowsExactly<ProtocolException>(() => curve.Add(Line(11, 0.4)));
        curve.Add(Protocol.Parse("""{"final": {}}""", Metrics));
        Assert.ThrowsExactly<ProtocolException>(() => curve.Add(Line(5, 0.3)));
    }

    [TestMethod]
    public void A_loss_past_the_threshold_or_not_finite_marks_the_step_it_diverged_at()
    {
        var curve = new ReportedCurve(budget: 10, threshold: 100, Metrics);
        curve.Add(Line(0, 1));
        Assert.IsNull(curve.DivergedAt);
        curve.Add(Line(1, 101));

        Assert.AreEqual(1, curve.DivergedAt);
        var nan = new ReportedCurve(budget: 10, threshold: 100, Metrics);
        nan.Add(Line(0, double.NaN));
        Assert.AreEqual(0, nan.DivergedAt);
    }

    [TestMethod]
    public void A_line_longer_than_the_limit_comes_in_pieces_each_marked_cut()
    {
        // Pieces, not a skip: a line that never ends (cat /dev/zero) then counts against the output limit.
        var text = "\uFEFF" + new string('a', LineSplitter.MaxLineBytes + 10) + "\nnext\nlast";
        var lines = new LineSplitter(new MemoryStream(Encoding.UTF8.GetBytes(text)));

        var first = lines.Next()!.Value;
        Assert.IsTrue(first.Cut);
        Assert.AreEqual(new string('a', LineSplitter.MaxLineBytes), first.Text, "the byte-order mark is not part of the line");
        Assert.AreEqual((new string('a', 10), true), lines.Next());
        Assert.AreEqual(("next", false), lines.Next());
        Assert.AreEqual(("last", false), lines.Next());
        Assert.IsNull(lines.Next());
    }

    private static ProtocolLine Line(int step, double loss) => new(step, loss, new Dictionary<string, double?>());

    [TestMethod]
    public void A_worker_s_lines_end_a_run_by_id_carry_their_run_in_a_batch_and_an_end_line_may_be_tagged_too()
    {
        var end = Protocol.ParseWorker("""{"end": "r1", "error": "out of memory"}""", [], batched: false);
        var tagged = Protocol.ParseWorker("""{"run": "r2", "end": "r2"}""", [], batched: true);
        var step = Protocol.ParseWorker("""{"run": "r2", "step": 3, "loss": 0.5}""", [], batched: true);

        Assert.IsTrue(end.End);
        Assert.AreEqual("r1", end.Run);
        Assert.AreEqual("out of memory", end.Error);
        Assert.IsTrue(tagged.End);
        Assert.AreEqual("r2", tagged.Run);
        Assert.IsFalse(step.End);
        Assert.AreEqual("r2", step.Run);
        Assert.AreEqual(3, step.Line!.Step);
        StringAssert.Contains(Assert.ThrowsExactly<ProtocolException>(() => Protocol.ParseWorker("""{"run": "r3", "end": "r2"}""", [], batched: true)).Message, "got \"run\"");
        StringAssert.Contains(Assert.ThrowsExactly<ProtocolException>(() => Protocol.ParseWorker("""{"step": 0, "loss": 1}""", [], batched: true)).Message, "a batch's lines carry \"run\"");
        StringAssert.Contains(Assert.ThrowsExactly<ProtocolException>(() => Protocol.ParseWorker("""{"end": 7}""", [], batched: false)).Message, "\"end\" must be the run's id");
    }
}
