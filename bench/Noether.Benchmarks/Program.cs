using BenchmarkDotNet.Running;
using Noether.Runtime;

TorchRuntime.EnsureLoaded();
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
