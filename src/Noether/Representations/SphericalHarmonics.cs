using Noether.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Noether.Representations;

/// <summary>Real spherical harmonics Y_{l,m}, m = −l..l, as plain numbers and as batched tensors.</summary>
/// <remarks>
/// <para>Convention: polar angle θ from +z, azimuth φ from +x towards +y, no Condon–Shortley phase:
/// Y_{l,m} = N_{l,|m|} P_l^{|m|}(cos θ) · {cos(mφ) for m &gt; 0; 1 for m = 0; sin(|m|φ) for m &lt; 0},
/// with P_l^m ≥ 0 near the north pole, so Y_1 = √(3/4π) (y, z, x)/r. Rotations act by
/// Y_l(R x) = D^l(R) Y_l(x) with <see cref="WignerD"/>.</para>
/// <para>Algorithm: r^l Y_{l,m} = Π_l^{|m|}(z, r²) · {Re, 1, Im}(x + i y)^{|m|}, where Π_l^m is the normalised
/// associated Legendre polynomial divided by sin^m θ, written as a homogeneous polynomial. Π follows the
/// stable three-term recurrence Π_l^m = a_{lm} z Π_{l−1}^m − b_{lm} r² Π_{l−2}^m with
/// a_{lm} = √((4l² − 1)/(l² − m²)) and b_{lm} = √((2l + 1)((l − 1)² − m²)/((2l − 3)(l² − m²))), and (x + i y)^m
/// is built by repeated complex multiplication; no angles, divisions or factorials appear, so the values stay
/// accurate to l = 20 and beyond and are smooth (polynomial) in x, y, z.</para>
/// </remarks>
public static partial class SphericalHarmonics
{
    private const double FourPi = 4.0 * Math.PI;

    /// <summary>Values of the 2l + 1 real spherical harmonics of degree <paramref name="l"/> at the direction of (x, y, z).</summary>
    /// <param name="l">Degree, at least 0.</param>
    /// <param name="x">x component (the vector is normalised inside and must not be zero).</param>
    /// <param name="y">y component.</param>
    /// <param name="z">z component.</param>
    /// <param name="normalization">Scaling of the degree-l block.</param>
    /// <returns>Array of length 2l + 1, entry l + m holding Y_{l,m}.</returns>
    public static double[] Evaluate(int l, double x, double y, double z,
        SphericalHarmonicsNormalization normalization = SphericalHarmonicsNormalization.Integral)
    {
        if (l < 0)
            throw new ArgumentOutOfRangeException(nameof(l), l, "Degree must be non-negative.");
        var all = EvaluateUpTo(l, x, y, z, normalization);
        return all.AsSpan(l * l, 2 * l + 1).ToArray();
    }

    /// <summary>Values of every degree 0..<paramref name="maxDegree"/> at the direction of (x, y, z), concatenated.</summary>
    /// <param name="maxDegree">Largest degree, at least 0.</param>
    /// <param name="x">x component (the vector is normalised inside and must not be zero).</param>
    /// <param name="y">y component.</param>
    /// <param name="z">z component.</param>
    /// <param name="normalization">Scaling of each degree block.</param>
    /// <returns>Array of length (maxDegree + 1)², entry l² + l + m holding Y_{l,m}.</returns>
    public static double[] EvaluateUpTo(int maxDegree, double x, double y, double z,
        SphericalHarmonicsNormalization normalization = SphericalHarmonicsNormalization.Integral)
    {
        if (maxDegree < 0)
            throw new ArgumentOutOfRangeException(nameof(maxDegree), maxDegree, "Degree must be non-negative.");
        ValidateNormalization(normalization);
        var r = Math.Sqrt(x * x + y * y + z * z);
        if (!(r > 0) || !double.IsFinite(r))
            throw new ArgumentException($"The vector ({x}, {y}, {z}) has no direction (zero or not finite).", nameof(x));
        var output = new double[(maxDegree + 1) * (maxDegree + 1)];
        EvaluateUnit(maxDegree, x / r, y / r, z / r, output);
        for (var l = 0; l <= maxDegree; l++)
        {
            var scale = Scale(l, normalization);
            if (scale != 1.0)
                for (var i = l * l; i < (l + 1) * (l + 1); i++) output[i] *= scale;
        }
        return output;
    }

    /// <summary>Real spherical harmonics of the listed degrees for a batch of vectors, computed with tensor operations.</summary>
    /// <remarks>
    /// With <paramref name="normalize"/> = true the vectors are divided by max(|v|, 1e-12) first, so a zero
    /// vector gives Y_0 and zeros for l ≥ 1 (as <c>torch.nn.functional.normalize</c> would). With false, the
    /// result is the homogeneous polynomial r^l Y_l(v/r), which is smooth at the origin. Differentiable.
    /// </remarks>
    /// <param name="degrees">Degrees to return, in the order wanted (repeats allowed), each at least 0.</param>
    /// <param name="vectors">Shape (..., 3), any floating dtype; not modified.</param>
    /// <param name="normalization">Scaling of each degree block.</param>
    /// <param name="normalize">Whether to project the vectors onto the unit sphere first.</param>
    /// <returns>Shape (..., Σ(2l + 1)), same dtype and device as <paramref name="vectors"/>.</returns>
    public static Tensor Evaluate(IReadOnlyList<int> degrees, Tensor vectors,
        SphericalHarmonicsNormalization normalization = SphericalHarmonicsNormalization.Integral, bool normalize = true)
    {
        ArgumentNullException.ThrowIfNull(degrees);
        ArgumentNullException.ThrowIfNull(vectors);
        if (degrees.Count == 0)
            throw new ArgumentException("At least one degree is needed.", nameof(degrees));
        foreach (var d in degrees)
            if (d < 0)
                throw new ArgumentOutOfRangeException(nameof(degrees), d, $"Degrees must be non-negative; got [{string.Join(", ", degrees)}].");
        ValidateNormalization(normalization);
        if (vectors.dim() < 1 || vectors.shape[^1] != 3)
            throw new ArgumentException($"Vectors must have shape (..., 3); got ({string.Join(", ", vectors.shape)}).", nameof(vectors));
        if (!vectors.is_floating_point())
            throw new ArgumentException($"Vectors must have a floating-point dtype; got {vectors.dtype}.", nameof(vectors));

        using var scope = torch.NewDisposeScope();
        var maxDegree = degrees.Max();
        var result = maxDegree <= MonomialMaxDegree
            ? EvaluateByMonomials(degrees, vectors, normalization, normalize)
            : EvaluateByRecurrence(degrees, vectors, normalization, normalize);
        return result.MoveToOuterDisposeScope();
    }

    /// <summary>The largest degree evaluated as a monomial expansion (a few wide tensor operations); higher
    /// degrees use the stable recurrence, whose monomial coefficients would grow and cancel.</summary>
    internal const int MonomialMaxDegree = 4;

    /// <summary>Low degrees: r^l Y_l is a homogeneous polynomial of degree l, so Y = Mᵀ C where M holds the
    /// monomials x^a y^b z^c (a + b + c ≤ L) of the (normalised) vectors and C is a small precomputed table. The
    /// monomials are built component-major, each as one contiguous row of all vectors, and one matrix product then
    /// writes the (batch, Σ(2l + 1)) output directly.</summary>
    /// <remarks>The backward pass is analytic (<see cref="MonomialFunction"/>): ∂Y/∂x = M'ᵀ Dₓ with M' the monomials of
    /// degree ≤ L − 1 and Dₓ the table of C differentiated once, so the gradient of all three components is one matrix
    /// product Dᵀ-applied to the incoming gradient, one product with M' and one sum — instead of autograd retracing
    /// every monomial. It is written in differentiable tensor operations on the saved input, so second derivatives
    /// (forces trained through autograd) work too.</remarks>
    private static Tensor EvaluateByMonomials(IReadOnlyList<int> degrees, Tensor vectors,
        SphericalHarmonicsNormalization normalization, bool normalize)
    {
        var plan = MonomialPlan.For(degrees, normalization);
        var flat = vectors.reshape(-1, 3);
        var output = plan.MaxDegree == 0 ? plan.Forward(flat, normalize)
            : flat.requires_grad && torch.is_grad_enabled() ? MonomialFunction.Apply(flat, plan, normalize)
            : FusedKernel.Supports(flat) ? plan.Kernel.Forward(flat, normalize)
            : plan.Forward(flat, normalize);
        var shape = vectors.shape.ToArray();
        shape[^1] = output.shape[1];
        return output.reshape(shape);
    }

    /// <summary>Rows x^a y^b z^c (a + b + c ≤ <paramref name="maxDegree"/>) of the (n)-vectors x, y, z, in
    /// <see cref="MonomialTable"/> order: (monomials, n). Degree-d monomials in table order are (degree d − 1
    /// block)·x, then its last d entries (no x)·y, then z^d: three wide products per degree.</summary>
    private static Tensor Monomials(Tensor x, Tensor y, Tensor z, int maxDegree)
    {
        var blocks = new List<Tensor> { torch.ones_like(x).unsqueeze(0) };
        if (maxDegree == 0) return blocks[0];
        var previous = torch.stack(new[] { x, y, z }, 0);                              // degree 1: (3, n)
        blocks.Add(previous);
        for (var degree = 2; degree <= maxDegree; degree++)
        {
            long size = degree * (degree + 1) / 2;                                   // monomials of degree − 1
            previous = torch.cat(new[]
            {
                previous * x, previous.narrow(0, size - degree, degree) * y, previous.narrow(0, size - 1, 1) * z,
            }, 0);
            blocks.Add(previous);
        }
        return torch.cat(blocks.ToArray(), 0);
    }

    /// <summary>The components of (n, 3) vectors as rows, divided by max(|v|, 1e-12) when <paramref name="normalize"/>,
    /// with 1 / max(|v|, 1e-12) (null without normalisation).</summary>
    private static (Tensor X, Tensor Y, Tensor Z, Tensor? Inverse) Components(Tensor flat, bool normalize)
    {
        var columns = flat.t();
        Tensor x = columns[0], y = columns[1], z = columns[2];
        if (!normalize) return (x, y, z, null);
        var inverse = (x * x + y * y + z * z).clamp_min(1e-24).rsqrt();     // 1 / max(|v|, 1e-12), finite gradient at 0
        return (x * inverse, y * inverse, z * inverse, inverse);
    }

    /// <summary>The tables of one degree list and normalisation: C (monomials of degree ≤ L × Σ(2l + 1)) and its
    /// derivative D = (∂ₓC; ∂ᵧC; ∂𝓏C) on the monomials of degree ≤ L − 1 ((3 · those) × Σ(2l + 1)), row-major float64.</summary>
    private sealed class MonomialPlan
    {
        private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, MonomialPlan> Cache = new();
        private readonly double[] _values, _derivatives;

        public int MaxDegree { get; }
        public int Width { get; }
        public int Count { get; }
        public int LowerCount { get; }

        public static MonomialPlan For(IReadOnlyList<int> degrees, SphericalHarmonicsNormalization normalization) =>
            Cache.GetOrAdd($"{string.Join(",", degrees)}|{normalization}", _ => new MonomialPlan(degrees, normalization));

        private MonomialPlan(IReadOnlyList<int> degrees, SphericalHarmonicsNormalization normalization)
        {
            MaxDegree = degrees.Max();
            Width = degrees.Sum(d => 2 * d + 1);
            var table = MonomialTable.For(MaxDegree);
            Count = table.Count;
            _values = Coefficients(degrees, normalization);
            if (MaxDegree == 0)
            {
                _derivatives = Array.Empty<double>();
                return;
            }
            var lower = MonomialTable.For(MaxDegree - 1);
            LowerCount = lower.Count;
            _derivatives = new double[3 * LowerCount * Width];
            foreach (var ((a, b, c), row) in table.Index)
            {
                var parts = new[] { (a, (a - 1, b, c)), (b, (a, b - 1, c)), (c, (a, b, c - 1)) };
                for (var axis = 0; axis < 3; axis++)
                {
                    var (power, reduced) = parts[axis];
                    if (power == 0) continue;
                    var target = (axis * LowerCount + lower.Index[reduced]) * Width;
                    for (var column = 0; column < Width; column++) _derivatives[target + column] += power * _values[row * Width + column];
                }
            }
        }

        /// <summary>C, row-major (Count × Width).</summary>
        public double[] ValuesTable => _values;

        /// <summary>D, row-major (3 · LowerCount × Width).</summary>
        public double[] DerivativesTable => _derivatives;

        /// <summary>The one-pass kernel for these tables, built on first use.</summary>
        public FusedKernel Kernel => _kernel ??= new FusedKernel(this);
        private FusedKernel? _kernel;

        public Tensor Values(Tensor like) => torch.tensor(_values, Count, Width, dtype: like.dtype, device: like.device);

        public Tensor Derivatives(Tensor like) => torch.tensor(_derivatives, 3 * LowerCount, Width, dtype: like.dtype, device: like.device);

        /// <summary>Y = Mᵀ C for (n, 3) vectors: (n, Width), differentiable by autograd.</summary>
        public Tensor Forward(Tensor flat, bool normalize)
        {
            var (x, y, z, _) = Components(flat, normalize);
            return Monomials(x, y, z, MaxDegree).t().MatMulChecked(Values(flat));
        }

        /// <summary>∂L/∂v for (n, 3) vectors from ∂L/∂Y (n, Width), in differentiable operations.</summary>
        public Tensor Backward(Tensor flat, Tensor gradient, bool normalize)
        {
            var (x, y, z, inverse) = Components(flat, normalize);
            var lower = Monomials(x, y, z, MaxDegree - 1);                                           // (K', n)
            var projected = Derivatives(flat).MatMulChecked(gradient.t()).view(3, LowerCount, -1);           // (3, K', n)
            var direction = (projected * lower.unsqueeze(0)).sum(1);                                  // ∂L/∂u: (3, n)
            if (inverse is null) return direction.t();
            // u = v / max(|v|, 1e-12): ∂L/∂v = (∂L/∂u − u (u · ∂L/∂u)) / |v| where |v| > 1e-12 (the clamp is flat below).
            var unit = torch.stack(new[] { x, y, z }, 0);
            var radial = (unit * direction).sum(0, keepdim: true);
            var outside = (flat.square().sum(1) > 1e-24).to_type(flat.dtype).unsqueeze(0);
            return ((direction - unit * (radial * outside)) * inverse.unsqueeze(0)).t();
        }
    }

    /// <summary>The monomial evaluation as one autograd node whose backward is <see cref="MonomialPlan.Backward"/>.</summary>
    private sealed class MonomialFunction : torch.autograd.SingleTensorFunction<MonomialFunction>
    {
        public override string Name => "SphericalHarmonicsMonomials";

        public static Tensor Apply(Tensor flat, MonomialPlan plan, bool normalize) => apply(flat, plan, normalize);

        public override Tensor forward(torch.autograd.AutogradContext ctx, params object[] vars)
        {
            var (flat, plan, normalize) = ((Tensor)vars[0], (MonomialPlan)vars[1], (bool)vars[2]);
            ctx.save_for_backward(new List<Tensor> { flat });
            ctx.save_data("plan", plan);
            ctx.save_data("normalize", normalize);
            using var scope = torch.NewDisposeScope();
            using var noGrad = torch.no_grad();
            var result = FusedKernel.Supports(flat) ? plan.Kernel.Forward(flat, normalize) : plan.Forward(flat, normalize);
            return result.MoveToOuterDisposeScope();
        }

        public override List<Tensor> backward(torch.autograd.AutogradContext ctx, Tensor gradient)
        {
            // The engine calls this on its own thread, outside any caller's scope: intermediates are freed here, at once.
            using var scope = torch.NewDisposeScope();
            var flat = ctx.get_saved_variables()[0];
            var plan = (MonomialPlan)ctx.get_data("plan");
            var normalize = (bool)ctx.get_data("normalize");
            // A recorded backward (create_graph: second derivatives, as for forces trained through autograd) needs the
            // differentiable tensor form; otherwise the one-pass kernel computes the same gradient.
            var result = (!torch.is_grad_enabled() && FusedKernel.Supports(flat)
                ? plan.Kernel.Backward(flat, gradient, normalize)
                : plan.Backward(flat, gradient, normalize)).MoveToOuterDisposeScope();
            return new List<Tensor> { result, null!, null! };
        }
    }

    /// <summary>The table C of <see cref="EvaluateByMonomials"/>, (monomials × Σ(2l + 1)) row-major in float64,
    /// cached per degree list and normalisation.</summary>
    private static double[] Coefficients(IReadOnlyList<int> degrees, SphericalHarmonicsNormalization normalization)
    {
        var key = $"{string.Join(",", degrees)}|{normalization}";
        return CoefficientCache.GetOrAdd(key, _ =>
        {
            var table = MonomialTable.For(degrees.Max());
            var width = degrees.Sum(d => 2 * d + 1);
            var result = new double[table.Count * width];
            var column = 0;
            foreach (var l in degrees)
            {
                var scale = Scale(l, normalization);
                foreach (var polynomial in HomogeneousPolynomials(l))
                {
                    foreach (var (exponents, value) in polynomial)
                        result[table.Index[exponents] * width + column] = value * scale;
                    column++;
                }
            }
            return result;
        });
    }

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, double[]> CoefficientCache = new();

    /// <summary>r^l Y_{l,m}, m = −l..l, as polynomials in x, y, z (exponents → coefficient), exactly from the
    /// recurrence of the class remarks: Π_l^m(z, r²) times Re/Im (x + i y)^m.</summary>
    internal static Dictionary<(int, int, int), double>[] HomogeneousPolynomials(int l)
    {
        var seeds = SectoralSeeds(l);
        var rSquared = new Polynomial { [(2, 0, 0)] = 1, [(0, 2, 0)] = 1, [(0, 0, 2)] = 1 };
        var zPolynomial = new Polynomial { [(0, 0, 1)] = 1 };
        // Π_j^m for j = m..l, for every m ≤ l.
        var legendre = new Polynomial[l + 1];
        for (var m = 0; m <= l; m++)
        {
            Polynomial? beforePrevious = null;
            var previous = new Polynomial { [(0, 0, 0)] = seeds[m] };
            for (var j = m + 1; j <= l; j++)
            {
                var (a, b) = RecurrenceCoefficients(j);
                var next = Polynomial.Scale(Polynomial.Multiply(zPolynomial, previous), a[m]);
                if (beforePrevious is not null)
                    next = Polynomial.Add(next, Polynomial.Scale(Polynomial.Multiply(rSquared, beforePrevious), -b[m]));
                (beforePrevious, previous) = (previous, next);
            }
            legendre[m] = previous;
        }
        var result = new Dictionary<(int, int, int), double>[2 * l + 1];
        var re = new Polynomial { [(0, 0, 0)] = 1 };
        var im = new Polynomial();
        for (var m = 0; m <= l; m++)
        {
            if (m > 0)
            {
                var x = new Polynomial { [(1, 0, 0)] = 1 };
                var y = new Polynomial { [(0, 1, 0)] = 1 };
                (re, im) = (Polynomial.Add(Polynomial.Multiply(re, x), Polynomial.Scale(Polynomial.Multiply(im, y), -1)),
                            Polynomial.Add(Polynomial.Multiply(im, x), Polynomial.Multiply(re, y)));
            }
            result[l + m] = Polynomial.Multiply(legendre[m], re);
            if (m > 0) result[l - m] = Polynomial.Multiply(legendre[m], im);
        }
        return result;
    }

    /// <summary>A polynomial in x, y, z: exponents (a, b, c) → coefficient.</summary>
    private sealed class Polynomial : Dictionary<(int, int, int), double>
    {
        public static Polynomial Multiply(Polynomial p, Polynomial q)
        {
            var result = new Polynomial();
            foreach (var ((a, b, c), u) in p)
                foreach (var ((d, e, f), v) in q)
                {
                    var key = (a + d, b + e, c + f);
                    result[key] = result.GetValueOrDefault(key) + u * v;
                }
            return result;
        }

        public static Polynomial Add(Polynomial p, Polynomial q)
        {
            var result = new Polynomial();
            foreach (var (key, value) in p) result[key] = value;
            foreach (var (key, value) in q) result[key] = result.GetValueOrDefault(key) + value;
            return result;
        }

        public static Polynomial Scale(Polynomial p, double factor)
        {
            var result = new Polynomial();
            foreach (var (key, value) in p) result[key] = value * factor;
            return result;
        }
    }

    /// <summary>The monomials x^a y^b z^c with a + b + c ≤ L, by degree, then by a and b descending.</summary>
    private sealed class MonomialTable
    {
        private static readonly System.Collections.Concurrent.ConcurrentDictionary<int, MonomialTable> Cache = new();

        public Dictionary<(int, int, int), int> Index { get; } = new();
        public int Count => Index.Count;

        public static MonomialTable For(int maxDegree) => Cache.GetOrAdd(maxDegree, d => new MonomialTable(d));

        private MonomialTable(int maxDegree)
        {
            for (var degree = 0; degree <= maxDegree; degree++)
                for (var a = degree; a >= 0; a--)
                    for (var b = degree - a; b >= 0; b--)
                        Index[(a, b, degree - a - b)] = Index.Count;
        }
    }

    /// <summary>Any degree: the recurrence of the class remarks, vectorised over the orders of each degree.</summary>
    private static Tensor EvaluateByRecurrence(IReadOnlyList<int> degrees, Tensor vectors,
        SphericalHarmonicsNormalization normalization, bool normalize)
    {
        var maxDegree = degrees.Max();
        var v = normalize ? vectors / vectors.norm(-1, keepdim: true).clamp_min(1e-12) : vectors;
        var x = v.select(-1, 0);
        var y = v.select(-1, 1);
        var z = v.select(-1, 2);
        var zColumn = z.unsqueeze(-1);
        // r² is used even after normalising: it is 1 except for zero vectors, which must give 0 for l ≥ 1.
        var r2Column = (x * x + y * y + z * z).unsqueeze(-1);

        // Trig part: [Im w^L, ..., Im w, 1, Re w, ..., Re w^L] with w = x + i y, entry L + m for order m.
        var trigParts = new Tensor[2 * maxDegree + 1];
        trigParts[maxDegree] = torch.ones_like(x);
        Tensor re = x, im = y;
        for (var m = 1; m <= maxDegree; m++)
        {
            if (m > 1)
                (re, im) = (re * x - im * y, im * x + re * y);
            trigParts[maxDegree + m] = re;
            trigParts[maxDegree - m] = im;
        }
        var trig = torch.stack(trigParts, dim: -1);

        // Legendre part: `current` for degree l has shape (..., l + 1), entry m holding Π_l^m; the recurrence is vectorised over m.
        var seeds = SectoralSeeds(maxDegree);
        var blocks = new Tensor[maxDegree + 1];
        Tensor? previous = null, beforePrevious = null;
        for (var l = 0; l <= maxDegree; l++)
        {
            Tensor current;
            var seed = torch.full_like(zColumn, seeds[l]);
            if (l == 0)
            {
                current = seed;
            }
            else
            {
                var (a, b) = RecurrenceCoefficients(l);
                var next = previous! * zColumn * torch.tensor(a, dtype: v.dtype, device: v.device);
                if (l >= 2)
                {
                    var older = torch.nn.functional.pad(beforePrevious!, new long[] { 0, 1 }) * r2Column;
                    next = next - older * torch.tensor(b, dtype: v.dtype, device: v.device);
                }
                current = torch.cat(new[] { next, seed }, dim: -1);
            }
            beforePrevious = previous;
            previous = current;
            if (degrees.Contains(l))
            {
                // Orders −l..l use Π_l^{|m|}: mirror entries 1..l in front of entries 0..l.
                var mirrored = l == 0 ? current : torch.cat(new[] { current.narrow(-1, 1, l).flip(-1), current }, dim: -1);
                var block = mirrored * trig.narrow(-1, maxDegree - l, 2 * l + 1);
                var scale = Scale(l, normalization);
                blocks[l] = scale == 1.0 ? block : block * scale;
            }
        }
        return torch.cat(degrees.Select(d => blocks[d]).ToArray(), dim: -1);
    }

    /// <summary>Integral-normalised values of all degrees 0..maxDegree for a unit vector, written to
    /// <paramref name="output"/> at l² + l + m. The scalar twin of the tensor recurrence.</summary>
    internal static void EvaluateUnit(int maxDegree, double x, double y, double z, Span<double> output)
    {
        var seeds = SectoralSeeds(maxDegree);
        Span<double> re = stackalloc double[maxDegree + 1];
        Span<double> im = stackalloc double[maxDegree + 1];
        re[0] = 1;
        im[0] = 0;
        for (var m = 1; m <= maxDegree; m++)
        {
            re[m] = re[m - 1] * x - im[m - 1] * y;
            im[m] = im[m - 1] * x + re[m - 1] * y;
        }
        var previous = new double[maxDegree + 1];
        var beforePrevious = new double[maxDegree + 1];
        var current = new double[maxDegree + 1];
        for (var l = 0; l <= maxDegree; l++)
        {
            if (l > 0)
            {
                var (a, b) = RecurrenceCoefficients(l);
                for (var m = 0; m < l; m++)
                    current[m] = a[m] * z * previous[m] - (m < l - 1 ? b[m] * beforePrevious[m] : 0.0);
            }
            current[l] = seeds[l];
            var offset = l * l + l;
            output[offset] = current[0];
            for (var m = 1; m <= l; m++)
            {
                output[offset + m] = current[m] * re[m];
                output[offset - m] = current[m] * im[m];
            }
            (beforePrevious, previous, current) = (previous, current, beforePrevious);
        }
    }

    /// <summary>Constant factor turning integral-normalised degree-l values into <paramref name="normalization"/>.</summary>
    internal static double Scale(int l, SphericalHarmonicsNormalization normalization) => normalization switch
    {
        SphericalHarmonicsNormalization.Integral => 1.0,
        SphericalHarmonicsNormalization.Component => Math.Sqrt(FourPi),
        SphericalHarmonicsNormalization.Norm => Math.Sqrt(FourPi / (2 * l + 1)),
        _ => throw new ArgumentOutOfRangeException(nameof(normalization), normalization, "Unknown normalization."),
    };

    private static void ValidateNormalization(SphericalHarmonicsNormalization normalization)
    {
        if (!Enum.IsDefined(normalization))
            throw new ArgumentOutOfRangeException(nameof(normalization), normalization, "Unknown normalization.");
    }

    /// <summary>Π_m^m = N_{m,m} (2m − 1)!!, built as a product so nothing overflows:
    /// Π_0^0 = 1/√(4π), Π_1^1 = √(3/4π), Π_m^m = √((2m + 1)/(2m)) Π_{m−1}^{m−1} for m ≥ 2.</summary>
    private static double[] SectoralSeeds(int maxDegree)
    {
        var seeds = new double[maxDegree + 1];
        seeds[0] = 1.0 / Math.Sqrt(FourPi);
        if (maxDegree >= 1) seeds[1] = Math.Sqrt(3.0 / FourPi);
        for (var m = 2; m <= maxDegree; m++)
            seeds[m] = seeds[m - 1] * Math.Sqrt((2.0 * m + 1) / (2.0 * m));
        return seeds;
    }

    /// <summary>a_{lm} and b_{lm} for m = 0..l−1; b_{l,l−1} = 0 because Π_{l−2}^{l−1} does not exist.</summary>
    private static (double[] A, double[] B) RecurrenceCoefficients(int l)
    {
        var a = new double[l];
        var b = new double[l];
        for (var m = 0; m < l; m++)
        {
            double lm = (double)l * l - (double)m * m;
            a[m] = Math.Sqrt((4.0 * l * l - 1) / lm);
            b[m] = m < l - 1 ? Math.Sqrt((2.0 * l + 1) * ((l - 1.0) * (l - 1.0) - (double)m * m) / ((2.0 * l - 3) * lm)) : 0.0;
        }
        return (a, b);
    }
}
