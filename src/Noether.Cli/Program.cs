var b = Noether.Runtime.TorchRuntime.EnsureLoaded();
Console.WriteLine($"{b.TorchSharpVersion} {b.LibTorchVersion} {b.PatchedLibrary}");
foreach (var s in b.Steps) Console.WriteLine(s);
Console.WriteLine(Noether.Runtime.TorchRuntime.Threads);
