using System.Globalization;

namespace Noether.Training.Tasks;

/// <summary>An option a task declares (<c>--pooling</c>, <c>--draw</c>, <c>--lr</c> …): its name, help, default and
/// allowed values. The CLI builds its task flags from these declarations, validates them once, and refuses an option
/// the chosen task does not declare.</summary>
/// <remarks>Values travel as canonical text (what a run records in <c>runs.json</c>); <see cref="TaskOption{T}"/>
/// turns them into typed values.</remarks>
public abstract class TaskOption
{
    private protected TaskOption(string name, string help, IReadOnlyList<string>? allowed, bool sweepable, IReadOnlyList<string>? models)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(help);
        Name = name;
        Help = help;
        Allowed = allowed;
        Sweepable = sweepable;
        Models = models;
    }

    /// <summary>The CLI name without dashes, e.g. <c>force-clip</c>.</summary>
    public string Name { get; }

    /// <summary>One sentence for <c>noether tasks</c>.</summary>
    public string Help { get; }

    /// <summary>The values it takes when they form a list (e.g. sum, mean, max), or null for a free value (a number, a group name).</summary>
    public IReadOnlyList<string>? Allowed { get; }

    /// <summary>Whether <c>experiment</c> takes a comma-separated list of values and runs each (e.g. <c>--symmetry-breaking 0,0.1</c>).</summary>
    public bool Sweepable { get; }

    /// <summary>The models it applies to, or null for every model of the task.</summary>
    public IReadOnlyList<string>? Models { get; }

    /// <summary>The default, as text.</summary>
    public abstract string DefaultText { get; }

    /// <summary>The canonical text of <paramref name="text"/>; <see cref="ArgumentException"/> with a message naming
    /// the option, what it takes and the bad value otherwise.</summary>
    public abstract string Canonical(string text);

    /// <summary>What it takes, in words ("sum, mean or max", "a number > 0").</summary>
    public abstract string Expected { get; }

    private protected ArgumentException Invalid(string text) =>
        new($"--{Name} must be {Expected} (got '{text}').");

    /// <summary>An option with values from a list.</summary>
    public static TaskOption<string> Choice(string name, string help, string defaultValue, IReadOnlyList<string> allowed,
        IReadOnlyList<string>? models = null)
    {
        ArgumentNullException.ThrowIfNull(allowed);
        if (!allowed.Contains(defaultValue)) throw new ArgumentException($"The default '{defaultValue}' of --{name} is not among its values.", nameof(defaultValue));
        return new TaskOption<string>(name, help, defaultValue, t => allowed.Contains(t) ? t : null, v => v, allowed, Words(allowed), sweepable: false, models);
    }

    /// <summary>A finite number in [<paramref name="minimum"/>, ∞) (exclusive when <paramref name="exclusive"/>).</summary>
    public static TaskOption<double> Number(string name, string help, double defaultValue, double minimum, bool exclusive, bool sweepable = false,
        IReadOnlyList<string>? models = null) =>
        new(name, help, defaultValue,
            t => double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && double.IsFinite(v) && (exclusive ? v > minimum : v >= minimum) ? v : null,
            v => v.ToString("R", CultureInfo.InvariantCulture), null,
            $"a number {(exclusive ? ">" : "≥")} {minimum.ToString(CultureInfo.InvariantCulture)}, e.g. {(defaultValue == 0 ? "0.1" : defaultValue.ToString("R", CultureInfo.InvariantCulture))}",
            sweepable, models);

    /// <summary>A whole number in [<paramref name="minimum"/>, <paramref name="maximum"/>].</summary>
    public static TaskOption<int> Integer(string name, string help, int defaultValue, int minimum, int maximum, IReadOnlyList<string>? models = null) =>
        new(name, help, defaultValue,
            t => int.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out var v) && v >= minimum && v <= maximum ? v : null,
            v => v.ToString(CultureInfo.InvariantCulture), null, $"a whole number from {minimum} to {maximum}", sweepable: false, models);

    /// <summary>A free text value checked by <paramref name="isValid"/> (e.g. a group name).</summary>
    public static TaskOption<string> Text(string name, string help, string defaultValue, Func<string, bool> isValid, string expected,
        IReadOnlyList<string>? models = null)
    {
        ArgumentNullException.ThrowIfNull(isValid);
        return new TaskOption<string>(name, help, defaultValue, t => isValid(t) ? t : null, v => v, null, expected, sweepable: false, models);
    }

    internal static string Words(IReadOnlyList<string> values) =>
        values.Count == 1 ? values[0] : string.Join(", ", values.Take(values.Count - 1)) + " or " + values[^1];
}

/// <summary>A <see cref="TaskOption"/> whose values are of type <typeparamref name="T"/>.</summary>
public sealed class TaskOption<T> : TaskOption where T : notnull
{
    private readonly Func<string, object?> _parse;
    private readonly Func<T, string> _format;

    internal TaskOption(string name, string help, T defaultValue, Func<string, object?> parse, Func<T, string> format,
        IReadOnlyList<string>? allowed, string expected, bool sweepable, IReadOnlyList<string>? models)
        : base(name, help, allowed, sweepable, models)
    {
        Default = defaultValue;
        _parse = parse;
        _format = format;
        Expected = expected;
    }

    /// <summary>The value when the run gives none (and the model declares no default of its own).</summary>
    public T Default { get; }

    /// <inheritdoc />
    public override string Expected { get; }

    /// <inheritdoc />
    public override string DefaultText => _format(Default);

    /// <summary>The typed value of <paramref name="text"/>; <see cref="ArgumentException"/> naming the option otherwise.</summary>
    public T Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return _parse(text.Trim()) is T value ? value : throw Invalid(text);
    }

    /// <inheritdoc />
    public override string Canonical(string text) => _format(Parse(text));
}
