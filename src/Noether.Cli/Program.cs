using Noether.Cli;
using Spectre.Console;
using Spectre.Console.Cli;

// The `noether` command. Contract (DESIGN.md): every command takes --json and then prints exactly one
// JSON object as the last line of stdout; errors in the user's input exit with code 2 and a one-line
// message on stderr; anything else is a bug and crashes loudly.
// Written to a file or a pipe, tables get the width of a wide terminal (COLUMNS when set) instead of 80 columns.
if (Console.IsOutputRedirected)
    AnsiConsole.Profile.Width = int.TryParse(Environment.GetEnvironmentVariable("COLUMNS"), out var columns) && columns is >= 40 and <= 1000 ? columns : 160;
var app = new CommandApp();
app.Configure(config =>
{
    config.SetApplicationName("noether");
    config.PropagateExceptions();
    config.SetInterceptor(new LeftoverArgumentsCheck());
    config.AddCommand<DemoCommand>("demo").WithDescription("The main job on built-in data: what each symmetry strategy buys (accuracy from few examples).");
    config.AddCommand<TrainCommand>("train").WithDescription("Train one model on one task with one strategy; report test metric and equivariance error.")
        .WithExample("train", "--task", "rotated-mnist", "--model", "cnn", "--strategy", "augment", "--train-size", "1000", "--epochs", "5");
    config.AddCommand<ExperimentCommand>("experiment").WithDescription("Models × strategies × sizes × seeds on one task: runs, report, learning curves.")
        .WithExample("experiment", "--task", "rotated-mnist", "--models", "cnn,p4cnn", "--strategies", "none,augment", "--sizes", "500,1000");
    config.AddCommand<ReportCommand>("report").WithDescription("Tables across stored runs (experiment folders, train --json files): by size with every seed, by test length, or per run.")
        .WithExample("report", "docs/results/emlp/data-efficiency/o3-inertia-seeds", "--seeds")
        .WithExample("report", "out/a", "out/b", "--where", "seed=0", "--ratios-at", "1000");
    config.AddCommand<CheckCommand>("check").WithDescription("Equivariance error of a model, per layer, on the task's test inputs.")
        .WithExample("check", "--task", "rotated-mnist", "--model", "c8");
    config.AddCommand<TasksCommand>("tasks").WithDescription("Built-in tasks with their symmetry group, metric and data source.");
    config.AddCommand<InfoCommand>("info").WithDescription("Versions, native backend and threads.");
    config.AddCommand<BasisCommand>("basis").WithDescription("The equivariant linear maps between two representations of a matrix group.")
        .WithExample("basis", "--group", "SO3", "--in", "V(x)V", "--out", "V").WithExample("basis", "--group", "lorentz", "--in", "V⊗V", "--out", "1", "--json");
    config.AddCommand<GroupsCommand>("groups").WithDescription("List the groups, or show one: order, generators, irreps, character table.")
        .WithExample("groups", "D4").WithExample("groups", "SO3", "--band-limit", "4").WithExample("groups", "icosahedral", "--json");
});
try
{
    return app.Run(args);
}
catch (Exception e) when (CliErrors.IsUserError(e))
{
    Console.Error.WriteLine($"noether: {CliErrors.Message(e)}");
    return 2;
}
