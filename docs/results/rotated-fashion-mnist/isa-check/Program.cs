using Noether.Training.Tasks;
using TorchSharp;
using static TorchSharp.torch;

static class P {
  // isa-check OUT MODEL...: writes, per model, the logits and the gradient of sum(logits²) w.r.t. input and every
  // parameter (train mode), float64, to OUT. isa-check compare A B: max |a - b| / max |a| per model of two such files.
  static void Main(string[] a) {
    if (a.Length == 3 && a[0] == "compare") { Compare(Read(a[1]), Read(a[2])); return; }
    var b = Noether.Runtime.TorchRuntime.EnsureLoaded();
    Console.WriteLine(string.Join(" | ", b.Steps.Where(s => s.Contains("DNNL"))));
    var outFile = a[0];
    using var w = new BinaryWriter(File.Create(outFile));
    foreach (var name in a.Skip(1)) {
      using var sc = NewDisposeScope();
      var model = ImageModels.Create(name, 10, seed: 3);
      model.train();
      var g = new Generator(11);
      var x = randn(new long[]{32, 1, 28, 28}, generator: g).requires_grad_();
      var y = model.forward(x);
      y.square().sum().backward();
      var parts = new List<Tensor> { y.detach().flatten(), x.grad!.flatten() };
      parts.AddRange(model.parameters().Where(p => p.grad is not null).Select(p => p.grad!.flatten()));
      var all = cat(parts.ToArray()).to(ScalarType.Float64).data<double>().ToArray();
      w.Write(name); w.Write(all.Length); foreach (var v in all) w.Write(v);
      Console.WriteLine($"{name}: {all.Length} values, |y| {y.abs().max().ToDouble():G4}");
    }
  }

  static Dictionary<string, double[]> Read(string path) {
    var result = new Dictionary<string, double[]>();
    using var r = new BinaryReader(File.OpenRead(path));
    while (r.BaseStream.Position < r.BaseStream.Length) {
      var name = r.ReadString();
      var values = new double[r.ReadInt32()];
      for (int i = 0; i < values.Length; i++) values[i] = r.ReadDouble();
      result[name] = values;
    }
    return result;
  }

  static void Compare(Dictionary<string, double[]> reference, Dictionary<string, double[]> other) {
    foreach (var (name, x) in reference) {
      var y = other[name];
      double diff = x.Zip(y, (p, q) => Math.Abs(p - q)).Max(), scale = x.Max(Math.Abs);
      Console.WriteLine($"{name}: max relative difference {diff / scale:0.00e+00}, NaN: {y.Any(double.IsNaN)}");
    }
  }
}
