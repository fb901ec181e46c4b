using System.Diagnostics;
using System.IO.Compression;
using System.Text.Json;
using System.Xml.Linq;
using Noether.Tests.Training;

namespace Noether.Tests.Packaging;

/// <summary>What a user outside the repository gets: the two packages pack with their metadata, a fresh console app
/// restores <c>Noether</c> from a local feed and runs an equivariant model — calling TorchSharp before any Noether
/// type, which works because the package loads the native backend first —, and the <c>noether</c> tool installs and
/// answers <c>info --json</c>.</summary>
/// <remarks>Packs the binaries the test run already built (<c>--no-build</c>, this configuration) under a version of
/// its own, so NuGet's cache never hands back an older package.</remarks>
public sealed class PackageTests
{
#if DEBUG
    private const string Configuration = "Debug";
#else
    private const string Configuration = "Release";
#endif

    private static (int Code, string Output) Start(string fileName, string workingDirectory, int seconds, params string[] args)
    {
        var start = new ProcessStartInfo(fileName) { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) start.ArgumentList.Add(a);
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        // The tool's launcher finds the runtime through DOTNET_ROOT where dotnet is not in a standard place.
        if (Path.GetDirectoryName(Environment.ProcessPath) is { } dotnetRoot && File.Exists(Path.Combine(dotnetRoot, "dotnet")))
            start.Environment["DOTNET_ROOT"] = dotnetRoot;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(seconds * 1000))
        {
            process.Kill(true);
            throw new TimeoutException($"{fileName} {string.Join(" ", args)} did not finish in {seconds} s");
        }
        return (process.ExitCode, stdout.Result + stderr.Result);
    }

    private static string Run(string fileName, string workingDirectory, int seconds, params string[] args)
    {
        var (code, output) = Start(fileName, workingDirectory, seconds, args);
        Assert.True(code == 0, $"{fileName} {string.Join(" ", args)} exited with {code}:\n{output}");
        return output;
    }

    private static string Dotnet(string workingDirectory, int seconds, params string[] args) => Run("dotnet", workingDirectory, seconds, args);

    [Fact]
    public void ThePackages_InstallAndRun_OutsideTheRepository()
    {
        var root = TrainerTests.RepositoryRoot();
        var work = Directory.CreateTempSubdirectory("noether-package-");
        string version = $"0.1.0-test.{DateTime.UtcNow:yyyyMMddHHmmss}.{Environment.ProcessId}";
        try
        {
            var feed = Path.Combine(work.FullName, "feed");
            foreach (var project in new[] { "src/Noether", "src/Noether.Cli" })
                Dotnet(root, 300, "pack", Path.Combine(root, project), "-c", Configuration, "--no-build", $"-p:PackageVersion={version}", "-o", feed);

            // The library package: metadata, readme, and the build file that loads the backend first.
            using (var package = ZipFile.OpenRead(Path.Combine(feed, $"Noether.{version}.nupkg")))
            {
                var entries = package.Entries.Select(e => e.FullName).ToArray();
                Assert.Contains("PackageReadme.md", entries);
                Assert.Contains("buildTransitive/Noether.targets", entries);
                Assert.Contains("lib/net10.0/Noether.xml", entries);
                using var nuspec = package.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal)).Open();
                var metadata = XDocument.Load(nuspec).Root!.Elements().Single(e => e.Name.LocalName == "metadata");
                string Field(string name) => metadata.Elements().SingleOrDefault(e => e.Name.LocalName == name)?.Value ?? "";
                Assert.StartsWith("Symmetry-aware deep learning for .NET", Field("description"));
                Assert.Contains("equivariance", Field("tags"));
                Assert.Equal("PackageReadme.md", Field("readme"));
            }
            using (var tool = ZipFile.OpenRead(Path.Combine(feed, $"Noether.Cli.{version}.nupkg")))
                Assert.Contains("PackageReadme.md", tool.Entries.Select(e => e.FullName));
            Assert.True(File.Exists(Path.Combine(feed, $"Noether.{version}.snupkg")), "no symbol package");

            // A console app of a user: TorchSharp first, then an equivariant model checked on random rotations.
            var app = Directory.CreateDirectory(Path.Combine(work.FullName, "app")).FullName;
            File.WriteAllText(Path.Combine(app, "nuget.config"), $"""
                <?xml version="1.0" encoding="utf-8"?>
                <configuration><packageSources><add key="noether-test" value="{feed}" /></packageSources></configuration>
                """);
            File.WriteAllText(Path.Combine(app, "app.csproj"), $"""
                <Project Sdk="Microsoft.NET.Sdk">
                  <PropertyGroup><OutputType>Exe</OutputType><TargetFramework>net10.0</TargetFramework><ImplicitUsings>enable</ImplicitUsings><Nullable>enable</Nullable><TreatWarningsAsErrors>true</TreatWarningsAsErrors></PropertyGroup>
                  <ItemGroup><PackageReference Include="Noether" Version="{version}" /></ItemGroup>
                </Project>
                """);
            File.WriteAllText(Path.Combine(app, "Program.cs"), """
                using Noether.Equivariance;
                using Noether.Groups;
                using Noether.Nn.Generic;
                using Noether.Representations;
                using TorchSharp;
                using static TorchSharp.torch;

                Console.WriteLine($"torch first: {ones(2, 2).sum().ToDouble()}");
                Check.Run();

                static class Check
                {
                    public static void Run()
                    {
                        using var scope = NewDisposeScope();
                        var o3 = MatrixGroup.O(3);
                        var (rin, rout) = (TensorRepresentation.Parse("2V", o3), TensorRepresentation.Parse("1", o3));
                        var emlp = new Emlp(rin, rout, layers: 2, width: 32);
                        var report = EquivarianceCheck.Run(emlp.forward, new RepresentationAction(rin), new RepresentationAction(rout),
                            randn(8, rin.Dim), samples: 4, seed: 0);
                        Console.WriteLine($"equivariance error: {report.MaxRelativeError:E2}");
                    }
                }
                """);
            var output = Dotnet(app, 600, "run", "-c", "Release");
            Assert.Contains("torch first: 4", output);
            var error = double.Parse(output.Split('\n').Single(l => l.StartsWith("equivariance error: ", StringComparison.Ordinal))["equivariance error: ".Length..],
                System.Globalization.CultureInfo.InvariantCulture);
            Assert.True(error < 1e-4, output);

            // The command-line tool.
            var tools = Path.Combine(work.FullName, "tools");
            Dotnet(work.FullName, 600, "tool", "install", "Noether.Cli", "--version", version, "--tool-path", tools, "--add-source", feed);
            var info = Run(Path.Combine(tools, "noether"), work.FullName, 120, "info", "--json");
            var json = JsonDocument.Parse(info.TrimEnd().Split('\n')[^1]).RootElement;
            Assert.Equal("0.107.0", json.GetProperty("torchsharp").GetString());
        }
        finally
        {
            work.Delete(recursive: true);
            // NuGet extracted the test's own version into its cache: leave no trace of it there.
            var cache = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } set ? set
                : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
            foreach (var id in new[] { "noether", "noether.cli" })
                if (Directory.Exists(Path.Combine(cache, id, version))) Directory.Delete(Path.Combine(cache, id, version), recursive: true);
        }
    }
}
