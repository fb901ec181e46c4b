using Noether.Equivariance;
using Noether.Representations;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Noether.Nn.Points;

/// <summary>Element-wise tensor product: copy u of the left irreps times copy u of the right irreps, for every
/// output degree allowed, without weights.</summary>
/// <remarks>
/// <para>Math: for aligned terms a (left) and a (right) with equal multiplicity m, and each L in l ⊗ l' up to
/// <c>maxDegree</c>: out[n, u, k] = Σ_{ij} C[i, j, k] x[n, u, i] y[n, u, j]. Unit variance for unit-variance inputs.</para>
/// <para>Equivariance: O(3) (exact). Shapes: (n, In1.Dim) ⊗ (n, In2.Dim) → (n, Out.Dim).
/// Both irreps must have the same number of terms with equal multiplicities. Reference: e3nn <c>ElementwiseTensorProduct</c>.</para>
/// </remarks>
/// <example><code>var tp = new ElementwiseTensorProduct(Irreps.Parse("4x1o"), Irreps.Parse("4x1o"), maxDegree: 0); // 4 dot products</code></example>
public sealed class ElementwiseTensorProduct : Module<Tensor, Tensor, Tensor>, IEquivariant
{
    private readonly TensorTables _tables;
    private readonly int[] _termOfPath;

    /// <summary>The left irreps.</summary>
    public Irreps In1 { get; }
    /// <summary>The right irreps.</summary>
    public Irreps In2 { get; }
    /// <summary>The output irreps, one term per path in order.</summary>
    public Irreps Out { get; }

    /// <summary>Creates the product.</summary>
    /// <exception cref="ArgumentException">the two irreps are not aligned term by term.</exception>
    public ElementwiseTensorProduct(Irreps in1, Irreps in2, int maxDegree = int.MaxValue) : base(nameof(ElementwiseTensorProduct))
    {
        In1 = in1 ?? throw new ArgumentNullException(nameof(in1));
        In2 = in2 ?? throw new ArgumentNullException(nameof(in2));
        if (In1.Terms.Count != In2.Terms.Count || In1.Terms.Zip(In2.Terms).Any(p => p.First.Multiplicity != p.Second.Multiplicity))
            throw new ArgumentException($"Element-wise products need the same multiplicities term by term; got '{In1}' and '{In2}'.", nameof(in2));
        var terms = new List<MulIrrep>();
        var tables = new List<Tensor>();
        var termOfPath = new List<int>();
        for (var a = 0; a < In1.Terms.Count; a++)
            foreach (var irrep in O3Irrep.Product(In1.Terms[a].Irrep, In2.Terms[a].Irrep))
            {
                if (irrep.Degree > maxDegree || In1.Terms[a].Multiplicity == 0) continue;
                terms.Add(new MulIrrep(In1.Terms[a].Multiplicity, irrep));
                tables.Add(ClebschGordan.RealTensor(In1.Terms[a].Irrep.Degree, In2.Terms[a].Irrep.Degree, irrep.Degree));
                termOfPath.Add(a);
            }
        if (terms.Count == 0) throw new ArgumentException($"No output of degree ≤ {maxDegree} for '{In1}' ⊗ '{In2}'.", nameof(maxDegree));
        Out = new Irreps(terms);
        _tables = new TensorTables(tables);
        _termOfPath = termOfPath.ToArray();
        RegisterComponents();
    }

    /// <inheritdoc />
    IReadOnlyList<ITensorType> IEquivariant.InputTypes => new ITensorType[] { new IrrepsAction(In1), new IrrepsAction(In2) };

    /// <inheritdoc />
    IReadOnlyList<ITensorType> IEquivariant.OutputTypes => new ITensorType[] { new IrrepsAction(Out) };

    /// <summary>The element-wise product.</summary>
    /// <param name="x">Shape (n, In1.Dim).</param>
    /// <param name="y">Shape (n, In2.Dim).</param>
    public override Tensor forward(Tensor x, Tensor y)
    {
        PointsValidation.CheckFeatures(x, In1, nameof(x));
        PointsValidation.CheckFeatures(y, In2, nameof(y));
        if (x.dim() != 2 || y.dim() != 2 || x.shape[0] != y.shape[0])
            throw new ArgumentException($"Expected x (n, {In1.Dim}) and y (n, {In2.Dim}); got [{string.Join(", ", x.shape)}] and [{string.Join(", ", y.shape)}].", nameof(y));
        using var scope = torch.NewDisposeScope();
        var n = x.shape[0];
        var tables = _tables.Like(x);
        var outputs = new Tensor[_termOfPath.Length];
        for (var p = 0; p < outputs.Length; p++)
        {
            var a = _termOfPath[p];
            var (ta, tb) = (In1.Terms[a], In2.Terms[a]);
            var xa = x.narrow(1, In1.Slices[a].Start, In1.Slices[a].Dim).reshape(n * ta.Multiplicity, 1, ta.Irrep.Dim);
            var yb = y.narrow(1, In2.Slices[a].Start, In2.Slices[a].Dim).reshape(n * tb.Multiplicity, 1, tb.Irrep.Dim);
            outputs[p] = FullyConnectedTensorProduct.Contract(xa, yb, tables[p]).reshape(n, -1);
        }
        return (outputs.Length == 1 ? outputs[0] : torch.cat(outputs, 1)).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing) _tables.Dispose();
        base.Dispose(disposing);
    }

    /// <inheritdoc />
    public override string ToString() => $"ElementwiseTensorProduct({In1} ⊗ {In2} -> {Out})";
}
