using Noether.Data;
using Noether.Nn.Graphs;
using Noether.Runtime;
using Noether.Symmetrize;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Noether.Training.Tasks;

/// <summary>The graph tasks <c>graph-triangles</c> and <c>graph-components</c>: count the triangles or the connected
/// components of random graphs (<see cref="RandomGraphs"/>: Erdős–Rényi and random regular, 10–40 nodes).</summary>
/// <remarks>
/// Models: <c>gcn</c>, <c>gin</c>, <c>sage</c>, <c>gat</c> (<see cref="GraphNetwork"/>, 3 layers of width 64, sum
/// readouts) and the order-dependent <c>mlp</c> on the padded 40 × 40 adjacency (<see cref="GraphMlp"/>). Nodes carry
/// one constant feature. Strategy <c>augment</c> renumbers each graph's nodes at random every time it is used.
/// Loss L1 (Adam, 10⁻³ with cosine decay, batches of 32 graphs); metric the mean absolute error of the count on 1,000 test graphs (regression rather than accuracy:
/// triangle counts run into the tens). The equivariance error is the node-permutation invariance error on 32 test graphs.
/// </remarks>
public sealed class GraphTask : ITrainingTask
{
    private readonly bool triangles;

    private GraphTask(bool triangles, TaskInfo info)
    {
        this.triangles = triangles;
        Info = info;
    }

    private static readonly string[] Models = { "gcn", "gin", "sage", "gat", "mlp" };
    private static readonly string[] Strategies = new[] { Strategy.None, Strategy.Augment, Strategy.Symmetrize }.Select(s => s.Name).ToArray();

    /// <summary><c>graph-triangles</c>.</summary>
    public static GraphTask Triangles { get; } = new(true, new TaskInfo("graph-triangles",
        "Random graphs (Erdős–Rényi and random regular, 10–40 nodes), target the number of triangles.",
        "S_n (node permutations)", "mae", "generated from a seed", Models, Strategies)
        { DefaultTrainSize = 1000, DefaultEpochs = 30, ExampleBytes = GraphExampleBytes });

    /// <summary>A graph of up to 40 nodes: its edge lists, node features and, for the mlp, the padded 40 × 40 adjacency.</summary>
    private const long GraphExampleBytes = 16 << 10;

    /// <summary><c>graph-components</c>.</summary>
    public static GraphTask Components { get; } = new(false, new TaskInfo("graph-components",
        "Random graphs (Erdős–Rényi and random regular, 10–40 nodes), target the number of connected components.",
        "S_n (node permutations)", "mae", "generated from a seed", Models, Strategies)
        { DefaultTrainSize = 1000, DefaultEpochs = 30, ExampleBytes = GraphExampleBytes });

    /// <inheritdoc />
    public TaskInfo Info { get; }

    /// <inheritdoc />
    public ITaskData Load(string? dataDirectory = null) => new GraphData(this, 1000);

    /// <summary>Loads with <paramref name="testGraphs"/> test graphs (for tests).</summary>
    internal ITaskData Load(int testGraphs) => new GraphData(this, testGraphs);

    /// <summary>Creates a model by name.</summary>
    internal Module<GraphBatch, Tensor> CreateModel(string model) => model switch
    {
        "gcn" => new GraphNetwork(GraphLayerKind.Gcn, 1, 64, 3, 1),
        "gin" => new GraphNetwork(GraphLayerKind.Gin, 1, 64, 3, 1),
        "sage" => new GraphNetwork(GraphLayerKind.Sage, 1, 64, 3, 1),
        "gat" => new GraphNetwork(GraphLayerKind.Gat, 1, 64, 3, 1),
        "mlp" => new GraphMlp(RandomGraphs.MaxNodes, new[] { 256, 256 }, 1),
        _ => throw new ArgumentException($"Task {Info.Name} has no model '{model}'; models: {string.Join(", ", Models)}.", nameof(model)),
    };

    /// <summary>The batch of <paramref name="graphs"/>, each renumbered at random when <paramref name="random"/> is given.</summary>
    internal static GraphBatch Batch(IEnumerable<RandomGraph> graphs, Random? random = null)
    {
        var list = new List<Graph>();
        foreach (var g in graphs)
        {
            var label = Enumerable.Range(0, g.Nodes).ToArray();
            if (random is not null)
                for (int i = label.Length - 1; i > 0; i--) { int j = random.Next(i + 1); (label[i], label[j]) = (label[j], label[i]); }
            var edges = new long[4 * g.Edges.Count];
            for (int e = 0; e < g.Edges.Count; e++)
            {
                long a = label[g.Edges[e].I], b = label[g.Edges[e].J];
                edges[2 * e] = a; edges[2 * e + 1] = b;                                       // row 0: sources
                edges[2 * g.Edges.Count + 2 * e] = b; edges[2 * g.Edges.Count + 2 * e + 1] = a;  // row 1: targets
            }
            list.Add(new Graph(ones(g.Nodes, 1), tensor(edges).reshape(2, -1)));
        }
        return GraphBatch.FromGraphs(list);
    }

    private double Target(RandomGraph g) => triangles ? g.Triangles : g.Components;

    private sealed class GraphData : ITaskData
    {
        private readonly GraphTask task;
        private readonly IReadOnlyList<RandomGraph> test;

        public GraphData(GraphTask task, int testGraphs)
        {
            this.task = task;
            test = RandomGraphs.Generate(testGraphs, seed: 1_000_000);
        }

        public TaskRun Run(TaskRunOptions options, Action<EpochMetrics>? onEpoch = null)
        {
            ArgumentNullException.ThrowIfNull(options);
            task.Info.Require(options);
            int size = task.Info.TrainSize(options);
            if (size < 1) throw new ArgumentException($"--train-size must be ≥ 1 (got {size}).", nameof(options));
            TorchRuntime.Seed(options.Seed);
            var train = RandomGraphs.Generate(size, seed: 1000 * options.Seed + 23);
            // symmetrize: the model averaged over 8 random node relabellings per call (exact for message passing).
            var model = Model(options);
            // Adam at 10⁻³ with cosine decay, batches of 32 graphs, L1 loss.
            var trainer = new Trainer(options.Trainer(task.Info.Name, task.Info.Epochs(options), 32, 1e-3) with { Schedule = LearningRateSchedule.Cosine });
            var outcome = trainer.Fit(model, train.Count, index =>
            {
                var chosen = index.data<long>().ToArray().Select(i => train[(int)i]).ToArray();
                return (Graphs: Batch(chosen), Target: tensor(chosen.Select(g => (float)task.Target(g)).ToArray()).unsqueeze(1));
            }, (batch, _) => functional.l1_loss(model.forward(batch.Graphs), batch.Target), Augmentations.GraphRelabellings,
                new TrainingHooks { OnEpoch = onEpoch });
            double mae = Evaluate(model);
            var result = new RunResult(task.Info.Name, options.Model, options.Strategy.Name, size, outcome.History.Count, options.Seed, "mae", mae,
                InvarianceError(model), outcome.Parameters, outcome.TrainSeconds);
            return new TaskRun(result, null, model);
        }

        private double Evaluate(Module<GraphBatch, Tensor> model)
        {
            using var noGrad = no_grad();
            double sum = 0;
            for (int start = 0; start < test.Count; start += 250)
            {
                using var scope = NewDisposeScope();
                var chosen = test.Skip(start).Take(250).ToArray();
                var y = tensor(chosen.Select(g => (float)task.Target(g)).ToArray()).unsqueeze(1);
                sum += (model.forward(Batch(chosen)) - y).abs().sum().ToDoubleChecked();
            }
            return sum / test.Count;
        }

        private double InvarianceError(Module<GraphBatch, Tensor> model)
        {
            using var scope = NewDisposeScope();
            return GraphPermutationCheck.Invariance(model.forward, Batch(test.Take(32)), permutations: 4, seed: 5).MeanRelativeError;
        }

        /// <summary>The model of a run: the task's model, averaged over 8 random node relabellings per call under
        /// symmetrize (exact for message passing).</summary>
        private Module<GraphBatch, Tensor> Model(TaskRunOptions options) => options.Strategy == Strategy.Symmetrize
            ? new GraphAveraging(task.CreateModel(options.Model), samples: 8, seed: options.Seed)
            : task.CreateModel(options.Model);

        public ModelCheck Check(string model, string? checkpoint, IReadOnlyDictionary<string, string>? options = null)
        {
            var run = TaskRunOptions.ForCheck(model, options);
            task.Info.Require(run);
            using var net = Model(run);
            if (checkpoint is not null) Checkpoint.Load(net, checkpoint);
            net.eval();
            double error = InvarianceError(net);
            var layers = new List<LayerError>();
            if (net is GraphNetwork network)
            {
                // Node states after the embedding and each message-passing layer: equivariant (rows follow the nodes).
                using var scope = NewDisposeScope();
                var graphs = Batch(test.Take(32));
                int count = network.NodeStates(graphs).Count;
                for (int k = 0; k < count; k++)
                {
                    int layer = k;
                    var report = GraphPermutationCheck.Equivariance(g => network.NodeStates(g)[layer], graphs, permutations: 4, seed: 6);
                    layers.Add(new LayerError(k == 0 ? "embed" : $"layer{k}", k == 0 ? "Linear" : network.Kind + "Conv",
                        report.MeanRelativeError, report.MaxRelativeError));
                }
            }
            layers.Add(new LayerError(model, net.GetType().Name, error, null));
            return new ModelCheck(error, layers,
                "random node permutations of a batch of 32 graphs (edges relabelled): node states equivariant, output invariant");
        }

        public void Dispose() { }
    }
}
