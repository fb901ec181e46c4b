using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Noether.Runtime;

namespace Noether.Nn.Points;

/// <summary>One <see cref="EgnnLayer"/> — the node terms of φ_e, φ_e and φ_x on every ordered pair i ≠ j, the sums
/// over j, φ_v and φ_h — as one pass, forward and backward, for float32 on the CPU with 512-bit SIMD. The tensor form
/// runs ~40 operations forward and ~80 backward, each a pass over memory with its own dispatch, allocation, autograd
/// node and threading; here each thread takes whole systems and runs every stage on them while they sit in cache:
/// edges in tiles of 96, every matrix product in register-blocked micro-kernels (6 rows × 64 columns of
/// accumulators), and the self-pairs i = j that the dense tensor form computes and discards are never computed.</summary>
/// <remarks>
/// <para>Math, per system of N nodes (κ = 1/max(N − 1, 1); W₁ = [W_i | W_j | W_s] is φ_e's first layer):
/// P = W_i h + b₁, Q = W_j h; per edge (i, j ≠ i): d = x_i − x_j, r = d·d, u₁ = P_i + Q_j + W_s [r, a_ij],
/// m = SiLU(u₂), u₂ = W₂ SiLU(u₁) + b₂, u₃ = W₃ m + b₃, c = w₄·SiLU(u₃); per node: M_i = Σ_j m_ij,
/// x_i' = x_i + κ Σ_j c_ij d_ij + (w_v·SiLU(W_v h_i + b_v) + β_v) v_i, h_i' = h_i + W_h₂ SiLU(W_h₁ [h_i, M_i] + b_h₁) + b_h₂.
/// The forward pass keeps u₁, u₂, u₃ per edge and the node pre-activations when a backward pass will follow; the
/// backward pass recomputes the sigmoids from them and runs the chain rule system by system, with the weight
/// gradients accumulated per thread and summed in a fixed order (deterministic for a given thread count).</para>
/// <para>Layout: rows of h, x, v may be strided (a row stride per input, unit stride within a row); edge attributes
/// are (B·N·N, A) contiguous; weights are the layers' own (out, in) row-major matrices. The output is (B·N, H + 3):
/// h' then x'. H must be a multiple of 16 (one 512-bit vector of floats). Where 512-bit vectors are not accelerated
/// the same code runs in .NET's software fallback (correct, slow), so <see cref="EgnnLayer"/> uses it only where they
/// are.</para>
/// </remarks>
internal static unsafe class EgnnKernel
{
    /// <summary>Edges per tile: a multiple of the micro-kernel's 6 rows; 96 × 64 floats per scratch buffer (24 KB) keep
    /// a tile's working set in L2.</summary>
    private const int TileRows = 96;
    private const int Lanes = 16;

    /// <summary>Rows of floats: the first row and the distance between rows, in floats.</summary>
    internal readonly struct Rows(float* first, long stride)
    {
        public float* First { get; } = first;
        public long Stride { get; } = stride;
        public float* this[long row] => First + row * Stride;
    }

    /// <summary>The layer's parameters, each the module's own contiguous tensor memory.</summary>
    internal struct Parameters
    {
        /// <summary>φ_e: W₁ (H, 2H + 1 + A), b₁, W₂ (H, H), b₂; φ_x: W₃ (H, H), b₃, w₄ (1, H); φ_h: W_h₁ (H, 2H), b_h₁,
        /// W_h₂ (H, H), b_h₂; φ_v (null without velocity): W_v (H, H), b_v, w_v (1, H), β_v (1).</summary>
        public float* W1, B1, W2, B2, W3, B3, W4, Wn1, Bn1, Wn2, Bn2, Wv1, Bv1, Wv2, Bv2;
    }

    /// <summary>Sizes and inputs of one call.</summary>
    internal readonly struct Problem
    {
        public int Systems { get; init; }
        public int Nodes { get; init; }
        public int Hidden { get; init; }
        public int Attributes { get; init; }
        public bool Velocity { get; init; }
        public Rows H { get; init; }
        public Rows X { get; init; }
        /// <summary>Velocities (with <see cref="Velocity"/>).</summary>
        public Rows V { get; init; }
        /// <summary>(B·N·N, A) edge attributes, or null when A = 0.</summary>
        public float* A { get; init; }
        public Parameters W { get; init; }

        public int EdgesPerSystem => Nodes * (Nodes - 1);
        public long Edges => (long)Systems * EdgesPerSystem;
        public long NodeCount => (long)Systems * Nodes;
        public float Scale => 1f / Math.Max(Nodes - 1, 1);
        /// <summary>Columns of W₁.</summary>
        public int FirstWidth => 2 * Hidden + 1 + Attributes;
        /// <summary>Floats the forward pass keeps for the backward pass: u₁, u₂, u₃ per edge; the pre-activation of φ_h,
        /// the message sums and (with velocity) the pre-activation of φ_v per node.</summary>
        public long SavedLength => (3 * Edges + (Velocity ? 3 : 2) * NodeCount) * Hidden;
    }

    /// <summary>Whether the kernel runs at hardware speed here (512-bit vectors accelerated).</summary>
    public static bool IsAccelerated => Vector512.IsHardwareAccelerated;

    /// <summary>Transposed copies of the weights the forward products read as (in, out): W_iᵀ, W_jᵀ, W_sᵀ (1 + A, H),
    /// W₂ᵀ, W₃ᵀ, W_h₁ᵀ (2H, H), W_h₂ᵀ, W_vᵀ.</summary>
    private sealed class Transposed : IDisposable
    {
        private readonly float* _block;
        public float* Wi { get; }
        public float* Wj { get; }
        public float* Ws { get; }
        public float* W2 { get; }
        public float* W3 { get; }
        public float* Wn1 { get; }
        public float* Wn2 { get; }
        public float* Wv1 { get; }

        /// <summary>All of them for the forward pass; only W_sᵀ (<paramref name="all"/> false) for the backward pass,
        /// whose products read the weights as they are.</summary>
        public Transposed(in Problem pr, bool all)
        {
            var h = pr.Hidden;
            var square = (long)h * h;
            _block = (float*)NativeMemory.Alloc((nuint)(8 * square + (1 + pr.Attributes) * h), sizeof(float));
            Wi = _block;
            Wj = _block + square;
            W2 = _block + 2 * square;
            W3 = _block + 3 * square;
            Wn1 = _block + 4 * square;                                                     // 2H × H
            Wn2 = _block + 6 * square;
            Wv1 = _block + 7 * square;
            Ws = _block + 8 * square;
            Transpose(pr.W.W1 + 2 * h, pr.FirstWidth, h, 1 + pr.Attributes, Ws);
            if (!all) return;
            Transpose(pr.W.W1, pr.FirstWidth, h, h, Wi);
            Transpose(pr.W.W1 + h, pr.FirstWidth, h, h, Wj);
            Transpose(pr.W.W2, h, h, h, W2);
            Transpose(pr.W.W3, h, h, h, W3);
            Transpose(pr.W.Wn1, 2 * h, h, 2 * h, Wn1);
            Transpose(pr.W.Wn2, h, h, h, Wn2);
            if (pr.Velocity) Transpose(pr.W.Wv1, h, h, h, Wv1);
        }

        /// <summary>target (columns × rows) = source (rows × columns, row stride <paramref name="stride"/>)ᵀ.</summary>
        private static void Transpose(float* source, long stride, int rows, int columns, float* target)
        {
            for (var r = 0; r < rows; r++)
                for (var c = 0; c < columns; c++)
                    target[(long)c * rows + r] = source[r * stride + c];
        }

        public void Dispose() => NativeMemory.Free(_block);
    }

    /// <summary>Node-sized buffers (B·N × H floats each), freed on dispose.</summary>
    private sealed class NodeBuffers : IDisposable
    {
        private readonly float* _block;
        private readonly long _size;

        public NodeBuffers(int count, long nodes, int h)
        {
            _size = nodes * h;
            _block = (float*)NativeMemory.AlignedAlloc((nuint)(Math.Max(count * _size, 1) * sizeof(float)), 64);
        }

        public float* this[int k] => _block + k * _size;

        public void Dispose() => NativeMemory.AlignedFree(_block);
    }

    /// <summary>Forward pass: writes the (B·N, H + 3) output [h', x'] and, when <paramref name="saved"/> is not null,
    /// <see cref="Problem.SavedLength"/> floats for the backward pass.</summary>
    public static void Forward(in Problem problem, float* output, float* saved, int threads)
    {
        var pr = problem;
        var h = pr.Hidden;
        var nodes = pr.NodeCount;
        using var transposed = new Transposed(pr, all: true);
        using var buffers = new NodeBuffers(saved is null ? 6 : 3, nodes, h);
        var shift = (float*)NativeMemory.Alloc((nuint)Math.Max(3 * nodes, 1), sizeof(float));
        try
        {
            var t = transposed;
            float* p = buffers[0], q = buffers[1], work = buffers[2];
            var edgeSaved = saved;
            float* g = saved is null ? buffers[3] : saved + 3 * pr.Edges * h;
            float* messages = saved is null ? buffers[4] : g + nodes * h;
            float* vh = saved is null ? buffers[5] : messages + nodes * h;
            RunPartitions(pr.Systems, threads, (_, first, end) =>
            {
                var m0 = (long)first * pr.Nodes;
                var rows = (int)((long)(end - first) * pr.Nodes);
                var hIn = Offset(pr.H, m0);
                // φ_e's node terms.
                Multiply(hIn, new Rows(t.Wi, h), new Rows(p + m0 * h, h), rows, h, h, pr.W.B1, accumulate: false);
                Multiply(hIn, new Rows(t.Wj, h), new Rows(q + m0 * h, h), rows, h, h, null, accumulate: false);
                // The edges: message sums and coordinate shifts of these systems.
                new Span<float>(messages + m0 * h, rows * h).Clear();
                new Span<float>(shift + 3 * m0, 3 * rows).Clear();
                if (pr.Nodes >= 2)
                    ForwardEdges(pr, first, end, t, p, q, edgeSaved, shift, messages);
                // φ_h: h' = h + W_h₂ SiLU(W_h₁ [h, M] + b_h₁) + b_h₂, written into the output's first H columns.
                var gRows = new Rows(g + m0 * h, h);
                Multiply(hIn, new Rows(t.Wn1, h), gRows, rows, h, h, pr.W.Bn1, accumulate: false);
                Multiply(new Rows(messages + m0 * h, h), new Rows(t.Wn1 + (long)h * h, h), gRows, rows, h, h, null, accumulate: true);
                Activate(gRows, new Rows(work + m0 * h, h), null, rows, h);
                var outRows = new Rows(output + m0 * (h + 3), h + 3);
                Multiply(new Rows(work + m0 * h, h), new Rows(t.Wn2, h), outRows, rows, h, h, pr.W.Bn2, accumulate: false);
                for (var m = 0; m < rows; m++) Add(hIn[m], outRows[m], h);
                // x' = x + shift (+ φ_v(h) v), into the last 3 columns.
                if (pr.Velocity) Multiply(hIn, new Rows(t.Wv1, h), new Rows(vh + m0 * h, h), rows, h, h, pr.W.Bv1, accumulate: false);
                for (var m = 0; m < rows; m++)
                {
                    float* x = pr.X[m0 + m], s = shift + 3 * (m0 + m), o = outRows[m] + h;
                    var speed = pr.Velocity ? VelocityScale(vh + (m0 + m) * h, pr.W, h) : 0f;
                    float* v = pr.Velocity ? pr.V[m0 + m] : null;
                    for (var c = 0; c < 3; c++) o[c] = x[c] + s[c] + (pr.Velocity ? speed * v[c] : 0f);
                }
            });
        }
        finally
        {
            NativeMemory.Free(shift);
        }
    }

    private static void ForwardEdges(in Problem pr, int first, int end, Transposed t, float* p, float* q, float* saved,
        float* shift, float* messages)
    {
        var h = pr.Hidden;
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
            ForwardTile(pr, rows, iNode, jNode, aRow, d, t, p, q, u1, u2, u3, scratch[0], shift, messages);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ForwardTile(in Problem pr, int rows, Span<int> iNode, Span<int> jNode, Span<int> aRow, Span<float> d,
        Transposed tw, float* p, float* q, float* u1, float* u2, float* u3, float* work, float* shift, float* messages)
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
                var u = Vector512.FusedMultiplyAdd(rv, Vector512.Load(tw.Ws + v), Vector512.Load(pi + v) + Vector512.Load(qj + v));
                for (var k = 0; k < pr.Attributes; k++)
                    u = Vector512.FusedMultiplyAdd(Vector512.Create(a[k]), Vector512.Load(tw.Ws + (k + 1) * h + v), u);
                u.Store(ut + v);
                (u * Sigmoid(u)).Store(st + v);
            }
        }
        // u₂ = W₂ SiLU(u₁) + b₂; m = SiLU(u₂), summed into M_i.
        Multiply(new Rows(work, h), new Rows(tw.W2, h), new Rows(u2, h), rows, h, h, pr.W.B2, accumulate: false);
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
        Multiply(new Rows(work, h), new Rows(tw.W3, h), new Rows(u3, h), rows, h, h, pr.W.B3, accumulate: false);
        for (var t = 0; t < rows; t++)
        {
            var c = pr.Scale * DotSilu(u3 + (long)t * h, pr.W.W4, h);
            float* s = shift + 3L * iNode[t];
            s[0] += c * d[3 * t];
            s[1] += c * d[3 * t + 1];
            s[2] += c * d[3 * t + 2];
        }
    }

    /// <summary>Gradient arrays in the parameters' own layouts (those of φ_v null without velocity).</summary>
    internal struct Gradients
    {
        public float* W1, B1, W2, B2, W3, B3, W4, Wn1, Bn1, Wn2, Bn2, Wv1, Bv1, Wv2, Bv2;
    }

    /// <summary>One thread's weight gradients: the parameters' layouts, plus W_sᵀ (1 + A, H) accumulated row-wise.</summary>
    private sealed class GradientBlock : IDisposable
    {
        private readonly float* _block;
        public long Length { get; }
        public Gradients G { get; }
        public float* WsT { get; }

        public GradientBlock(in Problem pr)
        {
            long h = pr.Hidden, square = h * h;
            var sizes = new[] { h * pr.FirstWidth, h, square, h, square, h, h, 2 * square, h, square, h, square, h, h, 1, (1 + pr.Attributes) * h };
            Length = sizes.Sum();
            _block = (float*)NativeMemory.AllocZeroed((nuint)Length, sizeof(float));
            var offsets = new long[sizes.Length];
            for (var k = 1; k < sizes.Length; k++) offsets[k] = offsets[k - 1] + sizes[k - 1];
            G = new Gradients
            {
                W1 = _block + offsets[0], B1 = _block + offsets[1], W2 = _block + offsets[2], B2 = _block + offsets[3],
                W3 = _block + offsets[4], B3 = _block + offsets[5], W4 = _block + offsets[6], Wn1 = _block + offsets[7],
                Bn1 = _block + offsets[8], Wn2 = _block + offsets[9], Bn2 = _block + offsets[10], Wv1 = _block + offsets[11],
                Bv1 = _block + offsets[12], Wv2 = _block + offsets[13], Bv2 = _block + offsets[14],
            };
            WsT = _block + offsets[15];
        }

        /// <summary>Adds this block into the parameter gradients (W_sᵀ into W₁'s last 1 + A columns).</summary>
        public void AddTo(in Problem pr, in Gradients target)
        {
            long h = pr.Hidden, square = h * h;
            var g = G;
            Add(g.W1, target.W1, h * pr.FirstWidth);
            for (var k = 0; k <= pr.Attributes; k++)
                for (var o = 0; o < h; o++)
                    target.W1[o * pr.FirstWidth + 2 * h + k] += WsT[k * h + o];
            Add(g.B1, target.B1, h);
            Add(g.W2, target.W2, square);
            Add(g.B2, target.B2, h);
            Add(g.W3, target.W3, square);
            Add(g.B3, target.B3, h);
            Add(g.W4, target.W4, h);
            Add(g.Wn1, target.Wn1, 2 * square);
            Add(g.Bn1, target.Bn1, h);
            Add(g.Wn2, target.Wn2, square);
            Add(g.Bn2, target.Bn2, h);
            if (!pr.Velocity) return;
            Add(g.Wv1, target.Wv1, square);
            Add(g.Bv1, target.Bv1, h);
            Add(g.Wv2, target.Wv2, h);
            target.Bv2[0] += g.Bv2[0];
        }

        public void Dispose() => NativeMemory.Free(_block);
    }

    /// <summary>Backward pass from ∂L/∂[h', x'] (B·N, H + 3) contiguous: writes ∂L/∂h (B·N, H), ∂L/∂x (B·N, 3) and,
    /// when not null, ∂L/∂v (B·N, 3) and ∂L/∂a (B·N·N, A) (all overwritten; self-pairs get 0); adds the weight
    /// gradients into <paramref name="gradients"/>.</summary>
    public static void Backward(in Problem problem, float* saved, float* gradOutput, float* gradH, float* gradX, float* gradV,
        float* gradA, in Gradients gradients, int threads)
    {
        var pr = problem;
        var h = pr.Hidden;
        var nodes = pr.NodeCount;
        if (gradA is not null) new Span<float>(gradA, checked((int)(nodes * pr.Nodes * pr.Attributes))).Clear();
        using var transposed = new Transposed(pr, all: false);
        using var buffers = new NodeBuffers(5, nodes, h);
        var parts = Partitions(pr.Systems, threads);
        var blocks = new GradientBlock?[parts];
        try
        {
            var t = transposed;
            float* g = saved + 3 * pr.Edges * h, messages = g + nodes * h, vh = messages + nodes * h;
            float* work = buffers[0], slope = buffers[1], dMessages = buffers[2], dp = buffers[3], dq = buffers[4];
            float* gradHPtr = gradH, gradXPtr = gradX, gradVPtr = gradV, gradAPtr = gradA;
            RunPartitions(pr.Systems, threads, (part, first, end) =>
            {
                var block = blocks[part] = new GradientBlock(pr);
                var gw = block.G;
                var m0 = (long)first * pr.Nodes;
                var rows = (int)((long)(end - first) * pr.Nodes);
                var hIn = Offset(pr.H, m0);
                var gradOut = new Rows(gradOutput + m0 * (h + 3), h + 3);
                var dh = new Rows(gradHPtr + m0 * h, h);
                // φ_h: ∂W_h₂ += ∂h'ᵀ SiLU(g); ∂g = (∂h' W_h₂) ⊙ SiLU'(g); ∂W_h₁ += ∂gᵀ [h, M]; ∂h = ∂g W_h₁[:, :H]
                // (+ ∂h' at the end); ∂M = ∂g W_h₁[:, H:].
                var gRows = new Rows(g + m0 * h, h);
                var (s, sl, dg) = (new Rows(work + m0 * h, h), new Rows(slope + m0 * h, h), new Rows(dp + m0 * h, h));
                Activate(gRows, s, sl, rows, h);
                AccumulateTransposed(gradOut, s, new Rows(gw.Wn2, h), rows, h, h);
                AccumulateRows(gradOut, gw.Bn2, rows, h);
                Multiply(gradOut, new Rows(pr.W.Wn2, h), dg, rows, h, h, null, accumulate: false);
                Scale(dg, sl, rows, h);
                AccumulateTransposed(dg, hIn, new Rows(gw.Wn1, 2 * h), rows, h, h);
                AccumulateTransposed(dg, new Rows(messages + m0 * h, h), new Rows(gw.Wn1 + h, 2 * h), rows, h, h);
                AccumulateRows(dg, gw.Bn1, rows, h);
                // ∂h collects the products first and gets the residual ∂h' last: summed from zero, the small terms do
                // not round at the scale of ∂h' (5× less float32 error, measured against float64).
                Multiply(dg, new Rows(pr.W.Wn1, 2 * h), dh, rows, h, h, null, accumulate: false);
                Multiply(dg, new Rows(pr.W.Wn1 + h, 2 * h), new Rows(dMessages + m0 * h, h), rows, h, h, null, accumulate: false);
                // φ_v: with s_v = w_v·SiLU(z) + β_v, x' gets s_v v: ∂s_v = ∂x'·v, ∂v = s_v ∂x', ∂z = ∂s_v w_v ⊙ SiLU'(z).
                if (pr.Velocity)
                {
                    var dz = dg;                                                        // ∂g is used up
                    for (var m = 0; m < rows; m++)
                    {
                        float* z = vh + (m0 + m) * h, dx = gradOut[m] + h, v = pr.V[m0 + m];
                        var dSpeed = dx[0] * v[0] + dx[1] * v[1] + dx[2] * v[2];
                        if (gradVPtr is not null)
                        {
                            var speed = VelocityScale(z, pr.W, h);
                            for (var c = 0; c < 3; c++) gradVPtr[3 * (m0 + m) + c] = speed * dx[c];
                        }
                        var ds = Vector512.Create(dSpeed);
                        for (var k = 0; k < h; k += Lanes)
                        {
                            var u = Vector512.Load(z + k);
                            var sigma = Sigmoid(u);
                            var wv = Vector512.Load(pr.W.Wv2 + k);
                            Vector512.FusedMultiplyAdd(ds, u * sigma, Vector512.Load(gw.Wv2 + k)).Store(gw.Wv2 + k);
                            (ds * wv * SiluSlope(u, sigma)).Store(dz[m] + k);
                        }
                        gw.Bv2[0] += dSpeed;
                    }
                    AccumulateTransposed(dz, hIn, new Rows(gw.Wv1, h), rows, h, h);
                    AccumulateRows(dz, gw.Bv1, rows, h);
                    Multiply(dz, new Rows(pr.W.Wv1, h), dh, rows, h, h, null, accumulate: true);
                }
                // The edges: ∂P, ∂Q, ∂x from the shift and the distances, the edge weights.
                new Span<float>(gradXPtr + 3 * m0, 3 * rows).Clear();
                new Span<float>(dp + m0 * h, rows * h).Clear();
                new Span<float>(dq + m0 * h, rows * h).Clear();
                if (pr.Nodes >= 2)
                    BackwardEdges(pr, first, end, t, saved, new Rows(gradOutput + h, h + 3), dMessages, dp, dq, gradXPtr, gradAPtr, block);
                // φ_e's node terms: ∂W_i += ∂Pᵀ h, ∂W_j += ∂Qᵀ h, ∂b₁ += Σ ∂P, ∂h += ∂P W_i + ∂Q W_j.
                var (dpRows, dqRows) = (new Rows(dp + m0 * h, h), new Rows(dq + m0 * h, h));
                AccumulateTransposed(dpRows, hIn, new Rows(gw.W1, pr.FirstWidth), rows, h, h);
                AccumulateTransposed(dqRows, hIn, new Rows(gw.W1 + h, pr.FirstWidth), rows, h, h);
                AccumulateRows(dpRows, gw.B1, rows, h);
                Multiply(dpRows, new Rows(pr.W.W1, pr.FirstWidth), dh, rows, h, h, null, accumulate: true);
                Multiply(dqRows, new Rows(pr.W.W1 + h, pr.FirstWidth), dh, rows, h, h, null, accumulate: true);
                // The residual paths last (as for ∂h): ∂x = ∂x' + the edges' terms.
                for (var m = 0; m < rows; m++)
                {
                    Add(gradOut[m], dh[m], h);
                    float* dx = gradXPtr + 3 * (m0 + m), o = gradOut[m] + h;
                    (dx[0], dx[1], dx[2]) = (dx[0] + o[0], dx[1] + o[1], dx[2] + o[2]);
                }
            });
            foreach (var block in blocks) block!.AddTo(pr, gradients);
        }
        finally
        {
            foreach (var block in blocks) block?.Dispose();
        }
    }

    private static void BackwardEdges(in Problem pr, int first, int end, Transposed t, float* saved, Rows gradShift,
        float* gradMessages, float* gradP, float* gradQ, float* gradX, float* gradA, GradientBlock block)
    {
        var h = pr.Hidden;
        using var scratch = new Scratch(4, h, (2 + pr.Attributes) * h);
        Span<int> iNode = stackalloc int[TileRows], jNode = stackalloc int[TileRows], aRow = stackalloc int[TileRows];
        Span<float> d = stackalloc float[3 * TileRows], scalars = stackalloc float[4 * TileRows];
        var perSystem = pr.EdgesPerSystem;
        for (var e0 = (long)first * perSystem; e0 < (long)end * perSystem; e0 += TileRows)
        {
            var rows = (int)Math.Min(TileRows, (long)end * perSystem - e0);
            Index(pr, e0, rows, iNode, jNode, aRow);
            BackwardTile(pr, rows, iNode, jNode, aRow, d, scalars, t, saved + e0 * h, saved + (pr.Edges + e0) * h,
                saved + (2 * pr.Edges + e0) * h, gradShift, gradMessages, gradP, gradQ, gradX, gradA, block, scratch);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void BackwardTile(in Problem pr, int rows, Span<int> iNode, Span<int> jNode, Span<int> aRow, Span<float> d,
        Span<float> scalars, Transposed tw, float* u1, float* u2, float* u3, Rows gradShift, float* gradMessages,
        float* gradP, float* gradQ, float* gradX, float* gradA, GradientBlock block, Scratch scratch)
    {
        var h = pr.Hidden;
        var g = block.G;
        float* du3 = scratch[0], m = scratch[1], slope2 = scratch[2], dm = scratch[3];
        // ∂w₄ and ∂W_sᵀ are summed over the tile first, then added to the thread's block (as the products do).
        float* tileW4 = scratch.Small, tileWsT = scratch.Small + h;
        new Span<float>(scratch.Small, (2 + pr.Attributes) * h).Clear();
        // Through φ_x: dc = κ gS_i·d; ∂/∂w₄ += dc SiLU(u₃); ∂/∂u₃ = dc w₄ ⊙ SiLU'(u₃); d gets κ c gS_i. Alongside,
        // m = SiLU(u₂) and SiLU'(u₂) for the next stage.
        for (var t = 0; t < rows; t++)
        {
            var r = Difference(pr.X, iNode[t], jNode[t], d.Slice(3 * t, 3));
            float* gs = gradShift[iNode[t]];
            var dc = pr.Scale * (gs[0] * d[3 * t] + gs[1] * d[3 * t + 1] + gs[2] * d[3 * t + 2]);
            var dcv = Vector512.Create(dc);
            var cSum = Vector512<float>.Zero;
            float* u3t = u3 + (long)t * h, u2t = u2 + (long)t * h, du3t = du3 + (long)t * h, mt = m + (long)t * h, s2t = slope2 + (long)t * h;
            for (var v = 0; v < h; v += Lanes)
            {
                var u = Vector512.Load(u3t + v);
                var sigma = Sigmoid(u);
                var s = u * sigma;
                var w4 = Vector512.Load(pr.W.W4 + v);
                cSum = Vector512.FusedMultiplyAdd(w4, s, cSum);
                Vector512.FusedMultiplyAdd(dcv, s, Vector512.Load(tileW4 + v)).Store(tileW4 + v);
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
        // ∂/∂W₃ += ∂u₃ᵀ m; ∂/∂b₃ += Σ ∂u₃; ∂L/∂m = ∂u₃ W₃ + ∂M_i; ∂/∂u₂ = ∂L/∂m ⊙ SiLU'(u₂).
        var (du3Rows, dmRows) = (new Rows(du3, h), new Rows(dm, h));
        AccumulateTransposed(du3Rows, new Rows(m, h), new Rows(g.W3, h), rows, h, h);
        AccumulateRows(du3Rows, g.B3, rows, h);
        Multiply(du3Rows, new Rows(pr.W.W3, h), dmRows, rows, h, h, null, accumulate: false);
        for (var t = 0; t < rows; t++)
        {
            float* dmt = dm + (long)t * h, gm = gradMessages + (long)iNode[t] * h, s2t = slope2 + (long)t * h;
            for (var v = 0; v < h; v += Lanes)
                ((Vector512.Load(dmt + v) + Vector512.Load(gm + v)) * Vector512.Load(s2t + v)).Store(dmt + v);
        }
        // SiLU(u₁) and SiLU'(u₁); ∂/∂W₂ += ∂u₂ᵀ SiLU(u₁); ∂/∂b₂ += Σ ∂u₂; ∂/∂u₁ = (∂u₂ W₂) ⊙ SiLU'(u₁).
        float* s1 = scratch[0], slope1 = scratch[1], du1 = scratch[2];
        Activate(new Rows(u1, h), new Rows(s1, h), new Rows(slope1, h), rows, h);
        AccumulateTransposed(dmRows, new Rows(s1, h), new Rows(g.W2, h), rows, h, h);
        AccumulateRows(dmRows, g.B2, rows, h);
        Multiply(dmRows, new Rows(pr.W.W2, h), new Rows(du1, h), rows, h, h, null, accumulate: false);
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
                dr = Vector512.FusedMultiplyAdd(du, Vector512.Load(tw.Ws + v), dr);
                Vector512.FusedMultiplyAdd(du, r, Vector512.Load(tileWsT + v)).Store(tileWsT + v);
                for (var k = 0; k < pr.Attributes; k++)
                {
                    float* gw = tileWsT + (k + 1) * h + v;
                    Vector512.FusedMultiplyAdd(du, Vector512.Create(a[k]), Vector512.Load(gw)).Store(gw);
                }
                du.Store(dut + v);
            }
            if (gradA is not null)
                for (var k = 0; k < pr.Attributes; k++)
                    gradA[(long)aRow[t] * pr.Attributes + k] = Dot(dut, tw.Ws + (k + 1) * h, h);
            var twice = 2 * Vector512.Sum(dr);
            float* gi = gradX + 3L * iNode[t], gj = gradX + 3L * jNode[t];
            for (var c = 0; c < 3; c++)
            {
                var dd = scalars[4 * t + c] + twice * d[3 * t + c];
                gi[c] += dd;
                gj[c] -= dd;
            }
        }
        Add(tileW4, g.W4, h);
        Add(tileWsT, block.WsT, (1L + pr.Attributes) * h);
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

    private static Rows Offset(Rows rows, long first) => new(rows[first], rows.Stride);

    /// <summary>d = x_i − x_j into <paramref name="d"/>; returns r = d·d.</summary>
    private static float Difference(Rows x, int i, int j, Span<float> d)
    {
        float* xi = x[i], xj = x[j];
        (d[0], d[1], d[2]) = (xi[0] - xj[0], xi[1] - xj[1], xi[2] - xj[2]);
        return d[0] * d[0] + d[1] * d[1] + d[2] * d[2];
    }

    /// <summary>φ_v's output for one node: w_v·SiLU(z) + β_v.</summary>
    private static float VelocityScale(float* z, in Parameters w, int h) => DotSilu(z, w.Wv2, h) + w.Bv2[0];

    /// <summary>w·SiLU(u) for one row.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float DotSilu(float* u, float* w, int h)
    {
        var sum = Vector512<float>.Zero;
        for (var v = 0; v < h; v += Lanes)
        {
            var x = Vector512.Load(u + v);
            sum = Vector512.FusedMultiplyAdd(Vector512.Load(w + v), x * Sigmoid(x), sum);
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

    /// <summary>SiLU of each row into <paramref name="silu"/> and, when not null, SiLU' into <paramref name="slope"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Activate(Rows u, Rows silu, Rows? slope, int rows, int h)
    {
        for (var t = 0; t < rows; t++)
        {
            float* ut = u[t], st = silu[t];
            float* pt = slope is { } s ? s[t] : null;
            for (var v = 0; v < h; v += Lanes)
            {
                var x = Vector512.Load(ut + v);
                var sigma = Sigmoid(x);
                (x * sigma).Store(st + v);
                if (pt is not null) SiluSlope(x, sigma).Store(pt + v);
            }
        }
    }

    /// <summary>target ⊙= factor, row by row.</summary>
    private static void Scale(Rows target, Rows factor, int rows, int h)
    {
        for (var t = 0; t < rows; t++)
            for (var v = 0; v < h; v += Lanes)
                (Vector512.Load(target[t] + v) * Vector512.Load(factor[t] + v)).Store(target[t] + v);
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

    private static void Add(float* source, float* target, long count)
    {
        var k = 0L;
        for (; k + Lanes <= count; k += Lanes) (Vector512.Load(target + k) + Vector512.Load(source + k)).Store(target + k);
        for (; k < count; k++) target[k] += source[k];
    }

    /// <summary>sum (h) += Σ_t rows[t] (summed from zero, then added once).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void AccumulateRows(Rows rows, float* sum, int count, int h)
    {
        for (var v = 0; v < h; v += Lanes)
        {
            var s = Vector512<float>.Zero;
            for (var t = 0; t < count; t++) s += Vector512.Load(rows[t] + v);
            (Vector512.Load(sum + v) + s).Store(sum + v);
        }
    }

    /// <summary>C (rows × n) = A (rows × k) · B (k × n) [+ bias per column], or C += A · B with
    /// <paramref name="accumulate"/>; n a multiple of 16.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Multiply(Rows a, Rows b, Rows c, int rows, int k, int n, float* bias, bool accumulate)
    {
        var column = 0;
        for (; column + 4 * Lanes <= n; column += 4 * Lanes)
            MultiplyPanel64(a, b.First + column, b.Stride, c.First + column, c.Stride, rows, k, bias is null ? null : bias + column, accumulate);
        for (; column < n; column += Lanes)
            MultiplyPanel16(a, b.First + column, b.Stride, c.First + column, c.Stride, rows, k, bias is null ? null : bias + column, accumulate);
    }

    /// <summary>64 columns of C: 6 rows × 4 vectors of accumulators per step over k (24 of the 32 vector registers).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void MultiplyPanel64(Rows a, float* b, long ldb, float* c, long ldc, int rows, int k, float* bias, bool accumulate)
    {
        var z0 = bias is null ? default : Vector512.Load(bias);
        var z1 = bias is null ? default : Vector512.Load(bias + 16);
        var z2 = bias is null ? default : Vector512.Load(bias + 32);
        var z3 = bias is null ? default : Vector512.Load(bias + 48);
        var lda = a.Stride;
        var r = 0;
        for (; r + 6 <= rows; r += 6)
        {
            float* a0 = a[r], o = c + r * ldc;
            Vector512<float> c00 = z0, c01 = z1, c02 = z2, c03 = z3, c10 = z0, c11 = z1, c12 = z2, c13 = z3,
                c20 = z0, c21 = z1, c22 = z2, c23 = z3, c30 = z0, c31 = z1, c32 = z2, c33 = z3,
                c40 = z0, c41 = z1, c42 = z2, c43 = z3, c50 = z0, c51 = z1, c52 = z2, c53 = z3;
            if (accumulate)
            {
                Load4(o, out c00, out c01, out c02, out c03);
                Load4(o + ldc, out c10, out c11, out c12, out c13);
                Load4(o + 2 * ldc, out c20, out c21, out c22, out c23);
                Load4(o + 3 * ldc, out c30, out c31, out c32, out c33);
                Load4(o + 4 * ldc, out c40, out c41, out c42, out c43);
                Load4(o + 5 * ldc, out c50, out c51, out c52, out c53);
            }
            for (var i = 0; i < k; i++)
            {
                float* bk = b + i * ldb;
                var b0 = Vector512.Load(bk);
                var b1 = Vector512.Load(bk + 16);
                var b2 = Vector512.Load(bk + 32);
                var b3 = Vector512.Load(bk + 48);
                var x = Vector512.Create(a0[i]);
                c00 = Vector512.FusedMultiplyAdd(x, b0, c00); c01 = Vector512.FusedMultiplyAdd(x, b1, c01);
                c02 = Vector512.FusedMultiplyAdd(x, b2, c02); c03 = Vector512.FusedMultiplyAdd(x, b3, c03);
                x = Vector512.Create(a0[lda + i]);
                c10 = Vector512.FusedMultiplyAdd(x, b0, c10); c11 = Vector512.FusedMultiplyAdd(x, b1, c11);
                c12 = Vector512.FusedMultiplyAdd(x, b2, c12); c13 = Vector512.FusedMultiplyAdd(x, b3, c13);
                x = Vector512.Create(a0[2 * lda + i]);
                c20 = Vector512.FusedMultiplyAdd(x, b0, c20); c21 = Vector512.FusedMultiplyAdd(x, b1, c21);
                c22 = Vector512.FusedMultiplyAdd(x, b2, c22); c23 = Vector512.FusedMultiplyAdd(x, b3, c23);
                x = Vector512.Create(a0[3 * lda + i]);
                c30 = Vector512.FusedMultiplyAdd(x, b0, c30); c31 = Vector512.FusedMultiplyAdd(x, b1, c31);
                c32 = Vector512.FusedMultiplyAdd(x, b2, c32); c33 = Vector512.FusedMultiplyAdd(x, b3, c33);
                x = Vector512.Create(a0[4 * lda + i]);
                c40 = Vector512.FusedMultiplyAdd(x, b0, c40); c41 = Vector512.FusedMultiplyAdd(x, b1, c41);
                c42 = Vector512.FusedMultiplyAdd(x, b2, c42); c43 = Vector512.FusedMultiplyAdd(x, b3, c43);
                x = Vector512.Create(a0[5 * lda + i]);
                c50 = Vector512.FusedMultiplyAdd(x, b0, c50); c51 = Vector512.FusedMultiplyAdd(x, b1, c51);
                c52 = Vector512.FusedMultiplyAdd(x, b2, c52); c53 = Vector512.FusedMultiplyAdd(x, b3, c53);
            }
            Store4(o, c00, c01, c02, c03);
            Store4(o + ldc, c10, c11, c12, c13);
            Store4(o + 2 * ldc, c20, c21, c22, c23);
            Store4(o + 3 * ldc, c30, c31, c32, c33);
            Store4(o + 4 * ldc, c40, c41, c42, c43);
            Store4(o + 5 * ldc, c50, c51, c52, c53);
        }
        for (; r < rows; r++)
        {
            float* ar = a[r], o = c + r * ldc;
            Vector512<float> c0 = z0, c1 = z1, c2 = z2, c3 = z3;
            if (accumulate) Load4(o, out c0, out c1, out c2, out c3);
            for (var i = 0; i < k; i++)
            {
                float* bk = b + i * ldb;
                var x = Vector512.Create(ar[i]);
                c0 = Vector512.FusedMultiplyAdd(x, Vector512.Load(bk), c0);
                c1 = Vector512.FusedMultiplyAdd(x, Vector512.Load(bk + 16), c1);
                c2 = Vector512.FusedMultiplyAdd(x, Vector512.Load(bk + 32), c2);
                c3 = Vector512.FusedMultiplyAdd(x, Vector512.Load(bk + 48), c3);
            }
            Store4(o, c0, c1, c2, c3);
        }
    }

    /// <summary>16 columns of C (widths that are not a multiple of 64): 6 rows × 1 vector per step over k.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void MultiplyPanel16(Rows a, float* b, long ldb, float* c, long ldc, int rows, int k, float* bias, bool accumulate)
    {
        var z = bias is null ? default : Vector512.Load(bias);
        var lda = a.Stride;
        var r = 0;
        for (; r + 6 <= rows; r += 6)
        {
            float* a0 = a[r], o = c + r * ldc;
            Vector512<float> c0 = z, c1 = z, c2 = z, c3 = z, c4 = z, c5 = z;
            if (accumulate)
                (c0, c1, c2, c3, c4, c5) = (Vector512.Load(o), Vector512.Load(o + ldc), Vector512.Load(o + 2 * ldc), Vector512.Load(o + 3 * ldc),
                    Vector512.Load(o + 4 * ldc), Vector512.Load(o + 5 * ldc));
            for (var i = 0; i < k; i++)
            {
                var bk = Vector512.Load(b + i * ldb);
                c0 = Vector512.FusedMultiplyAdd(Vector512.Create(a0[i]), bk, c0);
                c1 = Vector512.FusedMultiplyAdd(Vector512.Create(a0[lda + i]), bk, c1);
                c2 = Vector512.FusedMultiplyAdd(Vector512.Create(a0[2 * lda + i]), bk, c2);
                c3 = Vector512.FusedMultiplyAdd(Vector512.Create(a0[3 * lda + i]), bk, c3);
                c4 = Vector512.FusedMultiplyAdd(Vector512.Create(a0[4 * lda + i]), bk, c4);
                c5 = Vector512.FusedMultiplyAdd(Vector512.Create(a0[5 * lda + i]), bk, c5);
            }
            c0.Store(o); c1.Store(o + ldc); c2.Store(o + 2 * ldc); c3.Store(o + 3 * ldc); c4.Store(o + 4 * ldc); c5.Store(o + 5 * ldc);
        }
        for (; r < rows; r++)
        {
            float* ar = a[r], o = c + r * ldc;
            var c0 = accumulate ? Vector512.Load(o) : z;
            for (var i = 0; i < k; i++) c0 = Vector512.FusedMultiplyAdd(Vector512.Create(ar[i]), Vector512.Load(b + i * ldb), c0);
            c0.Store(o);
        }
    }

    /// <summary>C (n₁ × n₂) += Aᵀ B for A (rows × n₁), B (rows × n₂): C[o, i] += Σ_t A[t, o] B[t, i]; 4 rows of C × 64
    /// columns of accumulators per pass over the rows. n₁ a multiple of 4, n₂ of 16. The sum over this call's rows
    /// starts from zero and is added to C once, so weight gradients are summed tile by tile (float32 rounding grows
    /// with the tile, 96 edges, not with the whole batch).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void AccumulateTransposed(Rows a, Rows b, Rows c, int rows, int n1, int n2)
    {
        for (var o = 0; o < n1; o += 4)
        {
            var column = 0;
            for (; column + 4 * Lanes <= n2; column += 4 * Lanes)
            {
                float* p = c[o] + column;
                var ldc = c.Stride;
                Vector512<float> c00 = default, c01 = default, c02 = default, c03 = default, c10 = default, c11 = default, c12 = default,
                    c13 = default, c20 = default, c21 = default, c22 = default, c23 = default, c30 = default, c31 = default, c32 = default, c33 = default;
                for (var t = 0; t < rows; t++)
                {
                    float* bt = b[t] + column, at = a[t] + o;
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
                AddStore4(p, c00, c01, c02, c03);
                AddStore4(p + ldc, c10, c11, c12, c13);
                AddStore4(p + 2 * ldc, c20, c21, c22, c23);
                AddStore4(p + 3 * ldc, c30, c31, c32, c33);
            }
            for (; column < n2; column += Lanes)
            {
                float* p = c[o] + column;
                var ldc = c.Stride;
                Vector512<float> c0 = default, c1 = default, c2 = default, c3 = default;
                for (var t = 0; t < rows; t++)
                {
                    var bt = Vector512.Load(b[t] + column);
                    float* at = a[t] + o;
                    c0 = Vector512.FusedMultiplyAdd(Vector512.Create(at[0]), bt, c0);
                    c1 = Vector512.FusedMultiplyAdd(Vector512.Create(at[1]), bt, c1);
                    c2 = Vector512.FusedMultiplyAdd(Vector512.Create(at[2]), bt, c2);
                    c3 = Vector512.FusedMultiplyAdd(Vector512.Create(at[3]), bt, c3);
                }
                (Vector512.Load(p) + c0).Store(p);
                (Vector512.Load(p + ldc) + c1).Store(p + ldc);
                (Vector512.Load(p + 2 * ldc) + c2).Store(p + 2 * ldc);
                (Vector512.Load(p + 3 * ldc) + c3).Store(p + 3 * ldc);
            }
        }
    }

    /// <summary>p[0..64) += the four vectors.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddStore4(float* p, Vector512<float> v0, Vector512<float> v1, Vector512<float> v2, Vector512<float> v3)
    {
        (Vector512.Load(p) + v0).Store(p);
        (Vector512.Load(p + 16) + v1).Store(p + 16);
        (Vector512.Load(p + 32) + v2).Store(p + 32);
        (Vector512.Load(p + 48) + v3).Store(p + 48);
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
    /// node's outputs are written by one thread only) and runs them in parallel; the body gets (range index, first
    /// system, end).</summary>
    private static void RunPartitions(int systems, int threads, Action<int, int, int> body) =>
        ParallelRanges.For(systems, Partitions(systems, threads), (k, first, end) => body(k, (int)first, (int)end));

    private static int Partitions(int systems, int threads) => Math.Clamp(threads, 1, Math.Max(systems, 1));

    /// <summary>Per-thread tile buffers (TileRows × H floats each) and one small buffer (the constructor's small floats),
    /// freed on dispose.</summary>
    private sealed class Scratch : IDisposable
    {
        private readonly float*[] _buffers;

        public Scratch(int count, int h, int small = 0)
        {
            _buffers = new float*[count];
            for (var k = 0; k < count; k++) _buffers[k] = (float*)NativeMemory.AlignedAlloc((nuint)(TileRows * h * sizeof(float)), 64);
            Small = (float*)NativeMemory.AlignedAlloc((nuint)(Math.Max(small, 1) * sizeof(float)), 64);
        }

        public float* this[int k] => _buffers[k];

        /// <summary>The small buffer.</summary>
        public float* Small { get; }

        public void Dispose()
        {
            foreach (var buffer in _buffers) NativeMemory.AlignedFree(buffer);
            NativeMemory.AlignedFree(Small);
        }
    }
}
