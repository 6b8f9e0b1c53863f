using System.Globalization;
using System.Text;

namespace GdSweeps.Configs;

/// <summary>
/// A file whose contents are part of every run's identity: as written, resolved, and its SHA-256 when read.
/// </summary>
internal sealed record TrainerInput(string Given, string Resolved, string Sha256);

/// <summary>
/// <c>trainer:</c>, a command that trains one run (the user's own model and loop) in place of the built-in models:
/// its arguments with placeholders, the files that define it, and how long and how often it may try.
/// </summary>
internal sealed record TrainerSpec
{
    /// <summary>
    /// The version of the protocol between GdSweeps and a command (its lines, files and variables); part of every run's
    /// identity.
    /// </summary>
    public const int ProtocolVersion = 1;

    /// <summary>The command as written: the program, then its arguments with their placeholders.</summary>
    public required IReadOnlyList<string> Command { get; init; }

    /// <summary>
    /// The program resolved when the config was read: a path relative to the config's folder, or found on PATH.
    /// </summary>
    public required string Program { get; init; }

    /// <summary>Where the command runs: the config's folder.</summary>
    public required string WorkingDirectory { get; init; }

    /// <summary>
    /// Files that define the runs (the script, its modules, a data file it reads itself), hashed when the config is
    /// read.
    /// </summary>
    public IReadOnlyList<TrainerInput> Inputs { get; init; } = [];

    /// <summary>The longest one attempt of a run may take; null for no limit.</summary>
    public TimeSpan? Timeout { get; init; } = DefaultTimeout;

    /// <summary>How many more times a run is tried after a failed attempt (a non-zero exit or a timeout).</summary>
    public int Retries { get; init; }

    /// <summary>Variables set for every run besides the run's own, in the order written.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Environment { get; init; } = [];

    /// <summary>
    /// The names of the other numbers the command reports, stored as <c>metric_&lt;name&gt;</c> columns.
    /// </summary>
    public IReadOnlyList<string> Metrics { get; init; } = [];

    public static TimeSpan DefaultTimeout { get; } = TimeSpan.FromHours(1);

    /// <summary>
    /// The command serves many runs (<c>serve: true</c>): long-lived workers, each sent one run (or one batch) at a time
    /// on its stdin, answering with the protocol's lines and an end line per run.
    /// </summary>
    public bool Serve { get; init; }

    /// <summary>
    /// Runs a worker is sent at once (<c>batch: N</c>, with <see cref="Serve"/>): up to N runs of one group, its lines
    /// tagged with each run's id; 1 sends runs one by one.
    /// </summary>
    public int Batch { get; init; } = 1;

    /// <summary>
    /// The devices the workers are given, one each in turn (<c>CUDA_VISIBLE_DEVICES</c> and the run's JSON); empty for
    /// none.
    /// </summary>
    public IReadOnlyList<string> Devices { get; init; } = [];

    /// <summary>Workers on each device (with <see cref="Devices"/>): the workers are devices times this.</summary>
    public int WorkersPerDevice { get; init; } = 1;

    /// <summary>How many workers a sweep of <paramref name="threads"/> threads starts: one a device slot when devices are given.</summary>
    public int Workers(int threads) => Devices.Count > 0 ? Devices.Count * WorkersPerDevice : Math.Max(1, threads);

    /// <summary>
    /// Everything about the trainer that can change a stored value: the command as written, the inputs' contents, the
    /// environment it adds, the metrics it declares (they are columns) and the protocol's version. Not the timeout or
    /// retries, which only decide whether a run fails (and failed runs are always run again).
    /// </summary>
    public string IdentityKey
    {
        get
        {
            // Every text is length-prefixed, so no argument can be made to read as two.
            var key = new StringBuilder().Append(CultureInfo.InvariantCulture, $"protocol={ProtocolVersion}|command=");
            foreach (var part in Command)
            {
                Field(key, part);
            }

            key.Append("|inputs=");
            foreach (var input in Inputs)
            {
                Field(key, input.Given);
                Field(key, input.Sha256);
            }

            key.Append("|env=");
            foreach (var (name, value) in Environment)
            {
                Field(key, name);
                Field(key, value);
            }

            key.Append("|metrics=");
            foreach (var metric in Metrics)
            {
                Field(key, metric);
            }

            // A worker keeps state from run to run, and a batch trains runs together (its arithmetic may round
            // differently): both are part of what made a stored number. The per-run form's key is as it was.
            if (Serve)
            {
                key.Append(CultureInfo.InvariantCulture, $"|serve|batch={Batch}");
            }

            return key.ToString();
        }
    }

    private static void Field(StringBuilder key, string text) => key.Append(text.Length.ToString(CultureInfo.InvariantCulture)).Append(':').Append(text);
}
