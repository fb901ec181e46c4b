using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Noether.Nn.Points;

/// <summary>The edge part of an <see cref="EgnnLayer"/> (φ_e and φ_x on every ordered pair i ≠ j of every system, and
/// the two sums over j) as one pass over tiles of edges, forward and backward, for float32 on the CPU with 512-bit SIMD.
/// The tensor form runs ~25 edge-sized operations forward and ~45 backward, each a pass over memory with its own
/// dispatch, allocation and threading; here a tile of edges goes through all of them while it sits in cache, the
/// three matrix products per tile run in register-blocked micro-kernels (6 edges × 64 channels of accumulators), and
/// the self-pairs i = j that the dense tensor form computes and discards are never computed.</summary>
/// <remarks>
/// <para>Math (per edge e = (b, i, j), j ≠ i, κ = 1/max(N − 1, 1)): d = x_i − x_j, r = d·d,
/// u₁ = P_i + Q_j + W_s [r, a_ij], m = SiLU(W₂ SiLU(u₁) + b₂), u₃ = W₃ m + b₃, c = w₄·SiLU(u₃);
/// shift_i = κ Σ_j c d, messages_i = Σ_j m. The forward pass keeps u₁, u₂, u₃ per edge when a backward pass will
/// follow; the backward pass recomputes the sigmoids from them and runs the chain rule tile by tile, with the weight
/// gradients accumulated per thread and summed once.</para>
/// <para>Layout: P, Q, messages (B·N, H); x, shift (B·N, 3); a (B·N·N, A); the weights are passed as W_sᵀ (1 + A, H),
/// W₂ᵀ and W₃ᵀ (H, H) for the forward products and W₂, W₃ (H, H) for the backward ones; all row-major and contiguous.
/// H must be a multiple of 16 (one 512-bit vector of floats). Where 512-bit vectors are not accelerated the same code
/// runs in .NET's software fallback (correct, slow), so <see cref="EgnnLayer"/> uses it only where they are.</para>
/// </remarks>
internal static unsafe class EgnnEdgeKernel
{
    /// <summary>Edges per tile: a multiple of the micro-kernel's 6 rows; 96 × 64 floats per scratch buffer (24 KB) keep
    /// a tile's working set in L2.</summary>
    private const int TileRows = 96;
    private const int Lanes = 16;

    /// <summary>The sizes and inputs shared by the forward and backward passes.</summary>
    internal readonly struct Problem
    {
        public int Systems { get; init; }
        public int Nodes { get; init; }
        public int Hidden { get; init; }
        public int Attributes { get; init; }
        /// <summary>(B·N, 3) coordinates.</summary>
        public float* X { get; init; }
        /// <summary>(B·N·N, A) edge attributes, or null when A = 0.</summary>
        public float* A { get; init; }
        /// <summary>(1 + A, H): W_sᵀ, the first layer's columns for [r, a].</summary>
        public float* ScalarWeightsT { get; init; }
        /// <summary>w₄ (H): φ_x's last layer (no bias).</summary>
        public float* W4 { get; init; }

        public int EdgesPerSystem => Nodes * (Nodes - 1);
        public long Edges => (long)Systems * EdgesPerSystem;
        public float Scale => 1f / Math.Max(Nodes - 1, 1);
    }

    /// <summary>Whether the kernel runs at hardware speed here (512-bit vectors accelerated).</summary>
    public static bool IsAccelerated => Vector512.IsHardwareAccelerated;

    /// <summary>Forward pass: writes shift (B·N, 3) and messages (B·N, H) (both overwritten) and, when
    /// <paramref name="saved"/> is not null, u₁, u₂, u₃ as three (E, H) blocks for the backward pass.</summary>
    public static void Forward(in Problem problem, float* p, float* q, float* w2T, float* b2, float* w3T, float* b3,
        float* shift, float* messages, float* saved, int threads)
    {
        var pr = problem;
        var h = pr.Hidden;
        new Span<float>(shift, checked(pr.Systems * pr.Nodes * 3)).Clear();
        new Span<float>(messages, checked(pr.Systems * pr.Nodes * h)).Clear();
        if (pr.Nodes < 2 || pr.Systems == 0) return;
        RunPartitions(pr.Systems, threads, (_, first, end) =>
        {
            using var scratch = new Scratch(4, h);
            Span<int> iNode = stackalloc int[TileRows], jNode = stackalloc int[TileRows], aRow = stackalloc int[TileRows];
            Span<float> d = stackalloc float[3 * TileRows];
            var perSystem = pr.EdgesPerSystem;
            for (var e0 = (long)first * perSystem; e0 < (long)end * perSystem; e0 += TileRows)
            {
                var rows = (int)Math.Min(TileRows, (long)end * perSystem - e0);
                Index(pr, e0, rows, iNode, jNode, aRow);
                float* u1 = saved is null ? scratch[1] : saved + e0 * h;
                float* u2 = saved is null ? scratch[2] : saved + (pr.Edges + e0) * h;
                float* u3 = saved is null ? scratch[3] : saved + (2 * pr.Edges + e0) * h;
                ForwardTile(pr, rows, iNode, jNode, aRow, d, p, q, w2T, b2, w3T, b3, u1, u2, u3, scratch[0], shift, messages);
            }
        });
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ForwardTile(in Problem pr, int rows, Span<int> iNode, Span<int> jNode, Span<int> aRow, Span<float> d,
        float* p, float* q, float* w2T, float* b2, float* w3T, float* b3, float* u1, float* u2, float* u3, float* work,
        float* shift, float* messages)
    {
        var h = pr.Hidden;
        // u₁ = P_i + Q_j + W_s [r, a] and SiLU(u₁).
        for (var t = 0; t < rows; t++)
        {
            var r = Difference(pr.X, iNode[t], jNode[t], d.Slice(3 * t, 3));
            float* pi = p + (long)iNode[t] * h, qj = q + (long)jNode[t] * h, a = pr.A + (long)aRow[t] * pr.Attributes;
            float* ut = u1 + (long)t * h, st = work + (long)t * h;
            var rv = Vector512.Create(r);
            for (var v = 0; v < h; v += Lanes)
            {
                var u = Vector512.FusedMultiplyAdd(rv, Vector512.Load(pr.ScalarWeightsT + v), Vector512.Load(pi + v) + Vector512.Load(qj + v));
                for (var k = 0; k < pr.Attributes; k++)
                    u = Vector512.FusedMultiplyAdd(Vector512.Create(a[k]), Vector512.Load(pr.ScalarWeightsT + (k + 1) * h + v), u);
                u.Store(ut + v);
                (u * Sigmoid(u)).Store(st + v);
            }
        }
        // u₂ = W₂ SiLU(u₁) + b₂; m = SiLU(u₂), summed into messages_i.
        Multiply(work, w2T, u2, rows, h, b2);
        for (var t = 0; t < rows; t++)
        {
            float* ut = u2 + (long)t * h, mt = work + (long)t * h, sum = messages + (long)iNode[t] * h;
            for (var v = 0; v < h; v += Lanes)
            {
                var u = Vector512.Load(ut + v);
                var m = u * Sigmoid(u);
                m.Store(mt + v);
                (Vector512.Load(sum + v) + m).Store(sum + v);
            }
        }
        // u₃ = W₃ m + b₃; c = w₄·SiLU(u₃); shift_i += κ c d.
        Multiply(work, w3T, u3, rows, h, b3);
        for (var t = 0; t < rows; t++)
        {
            var c = pr.Scale * Coefficient(u3 + (long)t * h, pr.W4, h);
            float* s = shift + 3L * iNode[t];
            s[0] += c * d[3 * t];
            s[1] += c * d[3 * t + 1];
            s[2] += c * d[3 * t + 2];
        }
    }

    /// <summary>The weight gradients, accumulated over edges (each array zeroed by the caller).</summary>
    internal readonly struct WeightGradients
    {
        /// <summary>(1 + A, H): ∂L/∂W_sᵀ.</summary>
        public float* ScalarWeightsT { get; init; }
        /// <summary>(H, H): ∂L/∂W₂, ∂L/∂W₃ in the layers' (out, in) layout.</summary>
        public float* W2 { get; init; }
        public float* W3 { get; init; }
        /// <summary>(H): ∂L/∂b₂, ∂L/∂b₃, ∂L/∂w₄.</summary>
        public float* B2 { get; init; }
        public float* B3 { get; init; }
        public float* W4 { get; init; }
    }

    /// <summary>Backward pass from ∂L/∂shift (B·N, 3) and ∂L/∂messages (B·N, H): writes ∂L/∂P, ∂L/∂Q (B·N, H), ∂L/∂x
    /// (B·N, 3) and, when <paramref name="gradA"/> is not null, ∂L/∂a (B·N·N, A) (all overwritten; self-pairs get 0);
    /// adds the weight gradients into <paramref name="weights"/>.</summary>
    public static void Backward(in Problem problem, float* saved, float* w2, float* w3, float* gradShift, float* gradMessages,
        float* gradP, float* gradQ, float* gradX, float* gradA, in WeightGradients weights, int threads)
    {
        var pr = problem;
        var h = pr.Hidden;
        var nodes = checked(pr.Systems * pr.Nodes);
        new Span<float>(gradP, checked(nodes * h)).Clear();
        new Span<float>(gradQ, checked(nodes * h)).Clear();
        new Span<float>(gradX, checked(nodes * 3)).Clear();
        if (gradA is not null) new Span<float>(gradA, checked(nodes * pr.Nodes * pr.Attributes)).Clear();
        if (pr.Nodes < 2 || pr.Systems == 0) return;
        var weightCount = (1 + pr.Attributes) * h + 2 * h * h + 3 * h;
        // One block of weight gradients per partition, summed in partition order afterwards (deterministic).
        var partials = new IntPtr[Partitions(pr.Systems, threads)];
        RunPartitions(pr.Systems, threads, (part, first, end) =>
        {
            using var scratch = new Scratch(4, h);
            var local = (float*)NativeMemory.AllocZeroed((nuint)weightCount, sizeof(float));
            partials[part] = (IntPtr)local;
            var g = WeightBlock(local, pr.Attributes, h);
            Span<int> iNode = stackalloc int[TileRows], jNode = stackalloc int[TileRows], aRow = stackalloc int[TileRows];
            Span<float> d = stackalloc float[3 * TileRows], scalars = stackalloc float[4 * TileRows];
            var perSystem = pr.EdgesPerSystem;
            for (var e0 = (long)first * perSystem; e0 < (long)end * perSystem; e0 += TileRows)
            {
                var rows = (int)Math.Min(TileRows, (long)end * perSystem - e0);
                Index(pr, e0, rows, iNode, jNode, aRow);
                BackwardTile(pr, rows, iNode, jNode, aRow, d, scalars, saved + e0 * h, saved + (pr.Edges + e0) * h,
                    saved + (2 * pr.Edges + e0) * h, w2, w3, gradShift, gradMessages, gradP, gradQ, gradX, gradA, g, scratch);
            }
        });
        try
        {
            var targets = new[] { (IntPtr)weights.ScalarWeightsT, (IntPtr)weights.W2, (IntPtr)weights.W3, (IntPtr)weights.B2, (IntPtr)weights.B3, (IntPtr)weights.W4 };
            int[] offsets = [0, (1 + pr.Attributes) * h, (1 + pr.Attributes) * h + h * h, (1 + pr.Attributes) * h + 2 * h * h,
                (1 + pr.Attributes) * h + 2 * h * h + h, (1 + pr.Attributes) * h + 2 * h * h + 2 * h, weightCount];
            foreach (var partial in partials)
                for (var k = 0; k < targets.Length; k++)
                    Add((float*)partial + offsets[k], (float*)targets[k], offsets[k + 1] - offsets[k]);
        }
        finally
        {
            foreach (var partial in partials) NativeMemory.Free((void*)partial);                // Free(null) is a no-op
        }
    }

    /// <summary>The per-thread weight-gradient block cut into its six arrays (offsets from <paramref name="block"/>).</summary>
    private static WeightGradients WeightBlock(float* block, int attributes, int h)
    {
        var scalar = (1 + attributes) * h;
        return new WeightGradients
        {
            ScalarWeightsT = block, W2 = block + scalar, W3 = block + scalar + h * h,
            B2 = block + scalar + 2 * h * h, B3 = block + scalar + 2 * h * h + h, W4 = block + scalar + 2 * h * h + 2 * h,
        };
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void BackwardTile(in Problem pr, int rows, Span<int> iNode, Span<int> jNode, Span<int> aRow, Span<float> d,
        Span<float> scalars, float* u1, float* u2, float* u3, float* w2, float* w3, float* gradShift, float* gradMessages,
        float* gradP, float* gradQ, float* gradX, float* gradA, in WeightGradients g, Scratch scratch)
    {
        var h = pr.Hidden;
        float* du3 = scratch[0], m = scratch[1], slope2 = scratch[2], dm = scratch[3];
        // Through φ_x: dc = κ gS_i·d; ∂/∂w₄ += dc SiLU(u₃); ∂/∂u₃ = dc w₄ ⊙ SiLU'(u₃); d gets κ c gS_i. Alongside,
        // m = SiLU(u₂) and SiLU'(u₂) for the next stage.
        for (var t = 0; t < rows; t++)
        {
            var r = Difference(pr.X, iNode[t], jNode[t], d.Slice(3 * t, 3));
            float* gs = gradShift + 3L * iNode[t];
            var dc = pr.Scale * (gs[0] * d[3 * t] + gs[1] * d[3 * t + 1] + gs[2] * d[3 * t + 2]);
            var dcv = Vector512.Create(dc);
            var cSum = Vector512<float>.Zero;
            float* u3t = u3 + (long)t * h, u2t = u2 + (long)t * h, du3t = du3 + (long)t * h, mt = m + (long)t * h, s2t = slope2 + (long)t * h;
            for (var v = 0; v < h; v += Lanes)
            {
                var u = Vector512.Load(u3t + v);
                var sigma = Sigmoid(u);
                var s = u * sigma;
                var w4 = Vector512.Load(pr.W4 + v);
                cSum = Vector512.FusedMultiplyAdd(w4, s, cSum);
                (Vector512.Load(g.W4 + v) + dcv * s).Store(g.W4 + v);
                (dcv * w4 * SiluSlope(u, sigma)).Store(du3t + v);
                var u2v = Vector512.Load(u2t + v);
                var sigma2 = Sigmoid(u2v);
                (u2v * sigma2).Store(mt + v);
                SiluSlope(u2v, sigma2).Store(s2t + v);
            }
            var cs = pr.Scale * Vector512.Sum(cSum);
            // d's gradient so far (κ c gS_i); the radial term is added once ∂L/∂r is known.
            scalars[4 * t] = cs * gs[0];
            scalars[4 * t + 1] = cs * gs[1];
            scalars[4 * t + 2] = cs * gs[2];
            scalars[4 * t + 3] = r;
        }
        // ∂/∂W₃ += ∂u₃ᵀ m; ∂/∂b₃ += Σ ∂u₃; ∂L/∂m = ∂u₃ W₃ + gM_i; ∂/∂u₂ = ∂L/∂m ⊙ SiLU'(u₂).
        AccumulateTransposed(du3, m, g.W3, rows, h);
        AccumulateRows(du3, g.B3, rows, h);
        Multiply(du3, w3, dm, rows, h, null);
        for (var t = 0; t < rows; t++)
        {
            float* dmt = dm + (long)t * h, gm = gradMessages + (long)iNode[t] * h, s2t = slope2 + (long)t * h;
            for (var v = 0; v < h; v += Lanes)
                ((Vector512.Load(dmt + v) + Vector512.Load(gm + v)) * Vector512.Load(s2t + v)).Store(dmt + v);
        }
        // SiLU(u₁) and SiLU'(u₁); ∂/∂W₂ += ∂u₂ᵀ SiLU(u₁); ∂/∂b₂ += Σ ∂u₂; ∂/∂u₁ = (∂u₂ W₂) ⊙ SiLU'(u₁).
        float* s1 = scratch[0], slope1 = scratch[1], du1 = scratch[2];
        for (var t = 0; t < rows; t++)
        {
            float* u1t = u1 + (long)t * h, s1t = s1 + (long)t * h, p1t = slope1 + (long)t * h;
            for (var v = 0; v < h; v += Lanes)
            {
                var u = Vector512.Load(u1t + v);
                var sigma = Sigmoid(u);
                (u * sigma).Store(s1t + v);
                SiluSlope(u, sigma).Store(p1t + v);
            }
        }
        AccumulateTransposed(dm, s1, g.W2, rows, h);
        AccumulateRows(dm, g.B2, rows, h);
        Multiply(dm, w2, du1, rows, h, null);
        // Scatter ∂u₁ to P_i, Q_j, W_s, a_ij and, through r = d·d, to x_i and x_j.
        for (var t = 0; t < rows; t++)
        {
            float* dut = du1 + (long)t * h, p1t = slope1 + (long)t * h;
            float* gp = gradP + (long)iNode[t] * h, gq = gradQ + (long)jNode[t] * h;
            float* a = pr.A + (long)aRow[t] * pr.Attributes;
            var r = Vector512.Create(scalars[4 * t + 3]);
            var dr = Vector512<float>.Zero;
            for (var v = 0; v < h; v += Lanes)
            {
                var du = Vector512.Load(dut + v) * Vector512.Load(p1t + v);
                (Vector512.Load(gp + v) + du).Store(gp + v);
                (Vector512.Load(gq + v) + du).Store(gq + v);
                dr = Vector512.FusedMultiplyAdd(du, Vector512.Load(pr.ScalarWeightsT + v), dr);
                Vector512.FusedMultiplyAdd(du, r, Vector512.Load(g.ScalarWeightsT + v)).Store(g.ScalarWeightsT + v);
                for (var k = 0; k < pr.Attributes; k++)
                {
                    float* gw = g.ScalarWeightsT + (k + 1) * h + v;
                    Vector512.FusedMultiplyAdd(du, Vector512.Create(a[k]), Vector512.Load(gw)).Store(gw);
                }
                du.Store(dut + v);
            }
            if (gradA is not null)
                for (var k = 0; k < pr.Attributes; k++)
                    gradA[(long)aRow[t] * pr.Attributes + k] = Dot(dut, pr.ScalarWeightsT + (k + 1) * h, h);
            var twice = 2 * Vector512.Sum(dr);
            float* gi = gradX + 3L * iNode[t], gj = gradX + 3L * jNode[t];
            for (var c = 0; c < 3; c++)
            {
                var dd = scalars[4 * t + c] + twice * d[3 * t + c];
                gi[c] += dd;
                gj[c] -= dd;
            }
        }
    }

    /// <summary>Node indices (into B·N) of the tile's edges and their rows in the (B·N·N, A) attribute array. Edges are
    /// numbered system by system, then by i, then by j ≠ i in increasing order.</summary>
    private static void Index(in Problem pr, long e0, int rows, Span<int> iNode, Span<int> jNode, Span<int> aRow)
    {
        var n = pr.Nodes;
        var perSystem = pr.EdgesPerSystem;
        var b = (int)(e0 / perSystem);
        var rest = (int)(e0 % perSystem);
        var (i, jj) = (rest / (n - 1), rest % (n - 1));
        for (var t = 0; t < rows; t++)
        {
            var j = jj < i ? jj : jj + 1;
            iNode[t] = b * n + i;
            jNode[t] = b * n + j;
            aRow[t] = (b * n + i) * n + j;
            if (++jj == n - 1)
            {
                jj = 0;
                if (++i == n) (i, b) = (0, b + 1);
            }
        }
    }

    /// <summary>d = x_i − x_j into <paramref name="d"/>; returns r = d·d.</summary>
    private static float Difference(float* x, int i, int j, Span<float> d)
    {
        float* xi = x + 3L * i, xj = x + 3L * j;
        (d[0], d[1], d[2]) = (xi[0] - xj[0], xi[1] - xj[1], xi[2] - xj[2]);
        return d[0] * d[0] + d[1] * d[1] + d[2] * d[2];
    }

    /// <summary>w₄·SiLU(u₃) for one edge.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float Coefficient(float* u3, float* w4, int h)
    {
        var sum = Vector512<float>.Zero;
        for (var v = 0; v < h; v += Lanes)
        {
            var u = Vector512.Load(u3 + v);
            sum = Vector512.FusedMultiplyAdd(Vector512.Load(w4 + v), u * Sigmoid(u), sum);
        }
        return Vector512.Sum(sum);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float Dot(float* a, float* b, int h)
    {
        var sum = Vector512<float>.Zero;
        for (var v = 0; v < h; v += Lanes) sum = Vector512.FusedMultiplyAdd(Vector512.Load(a + v), Vector512.Load(b + v), sum);
        return Vector512.Sum(sum);
    }

    /// <summary>σ(u) = 1/(1 + e^(−u)).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector512<float> Sigmoid(Vector512<float> u) => Vector512<float>.One / (Vector512<float>.One + Exp(-u));

    /// <summary>e^x in float32 to ~2 ulp, inlined (<see cref="Vector512.Exp(Vector512{float})"/> is a call that widens to
    /// float64): x clamped to [−87, 87], so every result is a normal float and σ saturates at ~1.6·10⁻³⁸ and 1; x = n ln 2
    /// + r with |r| ≤ ln 2 / 2 (ln 2 in two parts), e^r by Cephes' degree-7 minimax polynomial, 2ⁿ by exponent bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector512<float> Exp(Vector512<float> x)
    {
        x = Vector512.Min(Vector512.Max(x, Vector512.Create(-87f)), Vector512.Create(87f));
        var n = Vector512.Floor(Vector512.FusedMultiplyAdd(x, Vector512.Create(1.44269504088896341f), Vector512.Create(0.5f)));
        var r = Vector512.FusedMultiplyAdd(n, Vector512.Create(-0.693359375f), x);
        r = Vector512.FusedMultiplyAdd(n, Vector512.Create(2.12194440e-4f), r);
        var p = Vector512.Create(1.9875691500e-4f);
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(1.3981999507e-3f));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(8.3334519073e-3f));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(4.1665795894e-2f));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(1.6666665459e-1f));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(5.0000001201e-1f));
        p = Vector512.FusedMultiplyAdd(p, r * r, r + Vector512<float>.One);
        var scale = Vector512.ShiftLeft(Vector512.ConvertToInt32(n) + Vector512.Create(127), 23).AsSingle();
        return p * scale;
    }

    /// <summary>SiLU'(u) = σ(u)(1 + u(1 − σ(u))).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> SiluSlope(Vector512<float> u, Vector512<float> sigma) =>
        sigma * Vector512.FusedMultiplyAdd(u, Vector512<float>.One - sigma, Vector512<float>.One);

    private static void Add(float* source, float* target, int count)
    {
        var k = 0;
        for (; k + Lanes <= count; k += Lanes) (Vector512.Load(target + k) + Vector512.Load(source + k)).Store(target + k);
        for (; k < count; k++) target[k] += source[k];
    }

    /// <summary>sum += Σ_t rows[t] (rows × h).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void AccumulateRows(float* rows, float* sum, int count, int h)
    {
        for (var v = 0; v < h; v += Lanes)
        {
            var s = Vector512.Load(sum + v);
            for (var t = 0; t < count; t++) s += Vector512.Load(rows + (long)t * h + v);
            s.Store(sum + v);
        }
    }

    /// <summary>C (rows × h) = A (rows × h) · B (h × h) [+ bias per column], row-major.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Multiply(float* a, float* b, float* c, int rows, int h, float* bias)
    {
        var column = 0;
        for (; column + 4 * Lanes <= h; column += 4 * Lanes)
            MultiplyPanel64(a, b + column, c + column, rows, h, bias is null ? null : bias + column);
        for (; column < h; column += Lanes)
            MultiplyPanel16(a, b + column, c + column, rows, h, bias is null ? null : bias + column);
    }

    /// <summary>64 columns of C: 6 rows × 4 vectors of accumulators per step over k (24 of the 32 vector registers).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void MultiplyPanel64(float* a, float* b, float* c, int rows, int h, float* bias)
    {
        var z0 = bias is null ? default : Vector512.Load(bias);
        var z1 = bias is null ? default : Vector512.Load(bias + 16);
        var z2 = bias is null ? default : Vector512.Load(bias + 32);
        var z3 = bias is null ? default : Vector512.Load(bias + 48);
        var r = 0;
        for (; r + 6 <= rows; r += 6)
        {
            float* a0 = a + (long)r * h;
            Vector512<float> c00 = z0, c01 = z1, c02 = z2, c03 = z3, c10 = z0, c11 = z1, c12 = z2, c13 = z3,
                c20 = z0, c21 = z1, c22 = z2, c23 = z3, c30 = z0, c31 = z1, c32 = z2, c33 = z3,
                c40 = z0, c41 = z1, c42 = z2, c43 = z3, c50 = z0, c51 = z1, c52 = z2, c53 = z3;
            for (var k = 0; k < h; k++)
            {
                float* bk = b + (long)k * h;
                var b0 = Vector512.Load(bk);
                var b1 = Vector512.Load(bk + 16);
                var b2 = Vector512.Load(bk + 32);
                var b3 = Vector512.Load(bk + 48);
                var x = Vector512.Create(a0[k]);
                c00 = Vector512.FusedMultiplyAdd(x, b0, c00); c01 = Vector512.FusedMultiplyAdd(x, b1, c01);
                c02 = Vector512.FusedMultiplyAdd(x, b2, c02); c03 = Vector512.FusedMultiplyAdd(x, b3, c03);
                x = Vector512.Create(a0[h + k]);
                c10 = Vector512.FusedMultiplyAdd(x, b0, c10); c11 = Vector512.FusedMultiplyAdd(x, b1, c11);
                c12 = Vector512.FusedMultiplyAdd(x, b2, c12); c13 = Vector512.FusedMultiplyAdd(x, b3, c13);
                x = Vector512.Create(a0[2 * h + k]);
                c20 = Vector512.FusedMultiplyAdd(x, b0, c20); c21 = Vector512.FusedMultiplyAdd(x, b1, c21);
                c22 = Vector512.FusedMultiplyAdd(x, b2, c22); c23 = Vector512.FusedMultiplyAdd(x, b3, c23);
                x = Vector512.Create(a0[3 * h + k]);
                c30 = Vector512.FusedMultiplyAdd(x, b0, c30); c31 = Vector512.FusedMultiplyAdd(x, b1, c31);
                c32 = Vector512.FusedMultiplyAdd(x, b2, c32); c33 = Vector512.FusedMultiplyAdd(x, b3, c33);
                x = Vector512.Create(a0[4 * h + k]);
                c40 = Vector512.FusedMultiplyAdd(x, b0, c40); c41 = Vector512.FusedMultiplyAdd(x, b1, c41);
                c42 = Vector512.FusedMultiplyAdd(x, b2, c42); c43 = Vector512.FusedMultiplyAdd(x, b3, c43);
                x = Vector512.Create(a0[5 * h + k]);
                c50 = Vector512.FusedMultiplyAdd(x, b0, c50); c51 = Vector512.FusedMultiplyAdd(x, b1, c51);
                c52 = Vector512.FusedMultiplyAdd(x, b2, c52); c53 = Vector512.FusedMultiplyAdd(x, b3, c53);
            }
            float* o = c + (long)r * h;
            Store4(o, c00, c01, c02, c03);
            Store4(o + h, c10, c11, c12, c13);
            Store4(o + 2 * h, c20, c21, c22, c23);
            Store4(o + 3 * h, c30, c31, c32, c33);
            Store4(o + 4 * h, c40, c41, c42, c43);
            Store4(o + 5 * h, c50, c51, c52, c53);
        }
        for (; r < rows; r++)
        {
            float* ar = a + (long)r * h;
            Vector512<float> c0 = z0, c1 = z1, c2 = z2, c3 = z3;
            for (var k = 0; k < h; k++)
            {
                float* bk = b + (long)k * h;
                var x = Vector512.Create(ar[k]);
                c0 = Vector512.FusedMultiplyAdd(x, Vector512.Load(bk), c0);
                c1 = Vector512.FusedMultiplyAdd(x, Vector512.Load(bk + 16), c1);
                c2 = Vector512.FusedMultiplyAdd(x, Vector512.Load(bk + 32), c2);
                c3 = Vector512.FusedMultiplyAdd(x, Vector512.Load(bk + 48), c3);
            }
            Store4(c + (long)r * h, c0, c1, c2, c3);
        }
    }

    /// <summary>16 columns of C (widths that are not a multiple of 64): 6 rows × 1 vector per step over k.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void MultiplyPanel16(float* a, float* b, float* c, int rows, int h, float* bias)
    {
        var z = bias is null ? default : Vector512.Load(bias);
        var r = 0;
        for (; r + 6 <= rows; r += 6)
        {
            float* a0 = a + (long)r * h;
            Vector512<float> c0 = z, c1 = z, c2 = z, c3 = z, c4 = z, c5 = z;
            for (var k = 0; k < h; k++)
            {
                var bk = Vector512.Load(b + (long)k * h);
                c0 = Vector512.FusedMultiplyAdd(Vector512.Create(a0[k]), bk, c0);
                c1 = Vector512.FusedMultiplyAdd(Vector512.Create(a0[h + k]), bk, c1);
                c2 = Vector512.FusedMultiplyAdd(Vector512.Create(a0[2 * h + k]), bk, c2);
                c3 = Vector512.FusedMultiplyAdd(Vector512.Create(a0[3 * h + k]), bk, c3);
                c4 = Vector512.FusedMultiplyAdd(Vector512.Create(a0[4 * h + k]), bk, c4);
                c5 = Vector512.FusedMultiplyAdd(Vector512.Create(a0[5 * h + k]), bk, c5);
            }
            float* o = c + (long)r * h;
            c0.Store(o); c1.Store(o + h); c2.Store(o + 2 * h); c3.Store(o + 3 * h); c4.Store(o + 4 * h); c5.Store(o + 5 * h);
        }
        for (; r < rows; r++)
        {
            float* ar = a + (long)r * h;
            var c0 = z;
            for (var k = 0; k < h; k++) c0 = Vector512.FusedMultiplyAdd(Vector512.Create(ar[k]), Vector512.Load(b + (long)k * h), c0);
            c0.Store(c + (long)r * h);
        }
    }

    /// <summary>C (h × h) += Aᵀ B for A, B (rows × h): C[o, i] += Σ_t A[t, o] B[t, i]; 4 rows of C × 64 columns of
    /// accumulators per pass over the tile.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void AccumulateTransposed(float* a, float* b, float* c, int rows, int h)
    {
        for (var o = 0; o < h; o += 4)
        {
            var column = 0;
            for (; column + 4 * Lanes <= h; column += 4 * Lanes)
            {
                float* p = c + (long)o * h + column;
                Load4(p, out var c00, out var c01, out var c02, out var c03);
                Load4(p + h, out var c10, out var c11, out var c12, out var c13);
                Load4(p + 2 * h, out var c20, out var c21, out var c22, out var c23);
                Load4(p + 3 * h, out var c30, out var c31, out var c32, out var c33);
                for (var t = 0; t < rows; t++)
                {
                    float* bt = b + (long)t * h + column, at = a + (long)t * h + o;
                    var b0 = Vector512.Load(bt);
                    var b1 = Vector512.Load(bt + 16);
                    var b2 = Vector512.Load(bt + 32);
                    var b3 = Vector512.Load(bt + 48);
                    var x = Vector512.Create(at[0]);
                    c00 = Vector512.FusedMultiplyAdd(x, b0, c00); c01 = Vector512.FusedMultiplyAdd(x, b1, c01);
                    c02 = Vector512.FusedMultiplyAdd(x, b2, c02); c03 = Vector512.FusedMultiplyAdd(x, b3, c03);
                    x = Vector512.Create(at[1]);
                    c10 = Vector512.FusedMultiplyAdd(x, b0, c10); c11 = Vector512.FusedMultiplyAdd(x, b1, c11);
                    c12 = Vector512.FusedMultiplyAdd(x, b2, c12); c13 = Vector512.FusedMultiplyAdd(x, b3, c13);
                    x = Vector512.Create(at[2]);
                    c20 = Vector512.FusedMultiplyAdd(x, b0, c20); c21 = Vector512.FusedMultiplyAdd(x, b1, c21);
                    c22 = Vector512.FusedMultiplyAdd(x, b2, c22); c23 = Vector512.FusedMultiplyAdd(x, b3, c23);
                    x = Vector512.Create(at[3]);
                    c30 = Vector512.FusedMultiplyAdd(x, b0, c30); c31 = Vector512.FusedMultiplyAdd(x, b1, c31);
                    c32 = Vector512.FusedMultiplyAdd(x, b2, c32); c33 = Vector512.FusedMultiplyAdd(x, b3, c33);
                }
                Store4(p, c00, c01, c02, c03);
                Store4(p + h, c10, c11, c12, c13);
                Store4(p + 2 * h, c20, c21, c22, c23);
                Store4(p + 3 * h, c30, c31, c32, c33);
            }
            for (; column < h; column += Lanes)
            {
                float* p = c + (long)o * h + column;
                Vector512<float> c0 = Vector512.Load(p), c1 = Vector512.Load(p + h), c2 = Vector512.Load(p + 2 * h), c3 = Vector512.Load(p + 3 * h);
                for (var t = 0; t < rows; t++)
                {
                    var bt = Vector512.Load(b + (long)t * h + column);
                    float* at = a + (long)t * h + o;
                    c0 = Vector512.FusedMultiplyAdd(Vector512.Create(at[0]), bt, c0);
                    c1 = Vector512.FusedMultiplyAdd(Vector512.Create(at[1]), bt, c1);
                    c2 = Vector512.FusedMultiplyAdd(Vector512.Create(at[2]), bt, c2);
                    c3 = Vector512.FusedMultiplyAdd(Vector512.Create(at[3]), bt, c3);
                }
                c0.Store(p); c1.Store(p + h); c2.Store(p + 2 * h); c3.Store(p + 3 * h);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store4(float* p, Vector512<float> v0, Vector512<float> v1, Vector512<float> v2, Vector512<float> v3)
    {
        v0.Store(p);
        v1.Store(p + 16);
        v2.Store(p + 32);
        v3.Store(p + 48);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Load4(float* p, out Vector512<float> v0, out Vector512<float> v1, out Vector512<float> v2, out Vector512<float> v3)
    {
        v0 = Vector512.Load(p);
        v1 = Vector512.Load(p + 16);
        v2 = Vector512.Load(p + 32);
        v3 = Vector512.Load(p + 48);
    }

    /// <summary>Splits the systems into at most <paramref name="threads"/> contiguous ranges (one per task, so each
    /// node's outputs are written by one thread only) and runs them in parallel.</summary>
    private static void RunPartitions(int systems, int threads, Action<int, int, int> body)
    {
        var parts = Partitions(systems, threads);
        if (parts == 1)
        {
            body(0, 0, systems);
            return;
        }
        Parallel.For(0, parts, new ParallelOptions { MaxDegreeOfParallelism = parts },
            k => body(k, (int)((long)systems * k / parts), (int)((long)systems * (k + 1) / parts)));
    }

    private static int Partitions(int systems, int threads) => Math.Clamp(threads, 1, Math.Max(systems, 1));

    /// <summary>Per-thread tile buffers (TileRows × H floats each), freed on dispose.</summary>
    private sealed class Scratch : IDisposable
    {
        private readonly float*[] _buffers;

        public Scratch(int count, int h)
        {
            _buffers = new float*[count];
            for (var k = 0; k < count; k++) _buffers[k] = (float*)NativeMemory.AlignedAlloc((nuint)(TileRows * h * sizeof(float)), 64);
        }

        public float* this[int k] => _buffers[k];

        public void Dispose()
        {
            foreach (var buffer in _buffers) NativeMemory.AlignedFree(buffer);
        }
    }
}
