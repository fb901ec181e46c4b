using Noether.Training;
using TorchSharp;
using static TorchSharp.torch;

static class P {
  // Writes, per model, the logits and the gradient of sum(logits²) w.r.t. input and every parameter (train mode), float64, to a file.
  static void Main(string[] a) {
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
}
