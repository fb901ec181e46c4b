using Noether.Runtime;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Noether.Nn.Points;

/// <summary>How an <see cref="EgnnLayer"/> is evaluated.</summary>
internal enum EgnnPath
{
    /// <summary>The fused kernel where it runs at hardware speed (float32 on the CPU, H a multiple of 16, 512-bit
    /// vectors accelerated), the tensor form elsewhere.</summary>
    Automatic,
    /// <summary>Always the tensor form.</summary>
    TensorForm,
    /// <summary>The fused kernel wherever it applies (float32 CPU, H a multiple of 16), accelerated or not: for tests.</summary>
    Kernel,
}

/// <summary>The parameters of one <see cref="EgnnLayer"/>: φ_e = (W₁ (H, 2H + 1 + A), b₁, W₂, b₂), φ_x = (W₃, b₃,
/// w₄ (1, H)), φ_h = (W_h₁ (H, 2H), b_h₁, W_h₂, b_h₂) and, for the velocity variant, φ_v = (W_v, b_v, w_v (1, H), β_v (1)).</summary>
internal sealed record EgnnLayerWeights(Tensor W1, Tensor B1, Tensor W2, Tensor B2, Tensor W3, Tensor B3, Tensor W4,
    Tensor Wn1, Tensor Bn1, Tensor Wn2, Tensor Bn2, Tensor? Wv1, Tensor? Bv1, Tensor? Wv2, Tensor? Bv2)
{
    /// <summary>All fifteen, in the order above (the velocity ones null without velocity).</summary>
    public Tensor?[] All => [W1, B1, W2, B2, W3, B3, W4, Wn1, Bn1, Wn2, Bn2, Wv1, Bv1, Wv2, Bv2];

    public bool Velocity => Wv1 is not null;

    public static EgnnLayerWeights From(IReadOnlyList<Tensor?> all) => new(all[0]!, all[1]!, all[2]!, all[3]!, all[4]!, all[5]!,
        all[6]!, all[7]!, all[8]!, all[9]!, all[10]!, all[11], all[12], all[13], all[14]);
}

/// <summary>One EGNN layer, h' and x' from h (B, N, H), x (B, N, 3), v (B, N, 3) or null and edge attributes
/// a (B, N, N, A) or null, evaluated two ways with the same result: <see cref="TensorForm"/> in differentiable tensor
/// operations (every dtype and device, any order of derivative), and <see cref="Fused"/>, one autograd node whose
/// forward and backward passes are <see cref="EgnnKernel"/>. They agree to float32 rounding (tested, values and
/// gradients).</summary>
internal static class EgnnFused
{
    /// <summary>Whether <see cref="Fused"/> applies to these inputs under <paramref name="path"/>.</summary>
    public static bool UsesKernel(EgnnPath path, Tensor h, Tensor x, Tensor? attributes) =>
        path != EgnnPath.TensorForm
        && (path == EgnnPath.Kernel || EgnnKernel.IsAccelerated)
        && x.device_type == DeviceType.CPU && h.device_type == DeviceType.CPU
        && x.dtype == ScalarType.Float32 && h.dtype == ScalarType.Float32
        && h.shape[2] % 16 == 0 && (attributes is null || attributes.dtype == ScalarType.Float32);

    /// <summary>The layer in differentiable tensor operations. The dense (B, N, N) grid of pairs includes the
    /// self-pairs: x_i − x_i = 0 removes them from the shift, and the message sum subtracts m_ii (cheaper than masking).</summary>
    public static (Tensor H, Tensor X) TensorForm(Tensor h, Tensor x, Tensor? v, Tensor? attributes, EgnnLayerWeights w)
    {
        using var scope = torch.NewDisposeScope();
        var (b, n, hidden) = (x.shape[0], x.shape[1], h.shape[2]);
        var diff = x.unsqueeze(2) - x.unsqueeze(1);                                     // (B, N, N, 3): x_i − x_j
        var radial = diff.square().sum(-1, keepdim: true);                               // (B, N, N, 1)
        var scalars = attributes is null ? radial : torch.cat(new[] { radial, attributes }, -1);
        // φ_e's first layer on [h_i, h_j, r, a] = P_i + Q_j + W_s [r, a]: the node terms once per node, broadcast over
        // the grid, and the per-edge scalars through one fused multiply-add.
        var p = functional.linear(h, w.W1.narrow(1, 0, hidden), w.B1);
        var q = functional.linear(h, w.W1.narrow(1, hidden, hidden));
        var nodes = (p.unsqueeze(2) + q.unsqueeze(1)).view(-1, hidden);
        var first = torch.addmm(nodes, scalars.view(-1, scalars.shape[^1]), w.W1.narrow(1, 2 * hidden, scalars.shape[^1]).t(), 1, 1);
        var m = functional.silu(functional.linear(functional.silu(first), w.W2, w.B2)).view(b, n, n, hidden);
        var c = functional.linear(functional.silu(functional.linear(m, w.W3, w.B3)), w.W4);   // (B, N, N, 1)
        var xNew = x + (diff * c).sum(2) / Math.Max(n - 1, 1);
        if (w.Velocity)
            xNew = xNew + functional.linear(functional.silu(functional.linear(h, w.Wv1!, w.Bv1)), w.Wv2!, w.Bv2) * v!;
        var messages = m.sum(2) - m.diagonal(0, 1, 2).transpose(1, 2);                   // Σ_{j≠i} m_ij
        var hNew = h + functional.linear(functional.silu(functional.linear(torch.cat(new[] { h, messages }, -1), w.Wn1, w.Bn1)), w.Wn2, w.Bn2);
        return (hNew.MoveToOuterDisposeScope(), xNew.MoveToOuterDisposeScope());
    }

    /// <summary>The layer as one autograd node run by <see cref="EgnnKernel"/> (float32 CPU, H a multiple of 16).</summary>
    public static (Tensor H, Tensor X) Fused(Tensor h, Tensor x, Tensor? v, Tensor? attributes, EgnnLayerWeights w)
    {
        var inputs = new[] { h, x, v, attributes }.Concat(w.All);
        var recorded = torch.is_grad_enabled() && inputs.Any(t => t is not null && t.requires_grad);
        var vars = new object[] { h, x, (w.Velocity ? v : null)!, attributes! }.Concat(w.All.Cast<object>()).Append(recorded).ToArray();
        // One output, h' and x' side by side (a single output always receives a defined gradient).
        var both = LayerFunction.apply(vars);
        var hidden = h.shape[2];
        return (both.narrow(-1, 0, hidden), both.narrow(-1, hidden, 3));
    }

    private sealed class LayerFunction : torch.autograd.SingleTensorFunction<LayerFunction>
    {
        public override string Name => "EgnnLayer";

        public override Tensor forward(torch.autograd.AutogradContext ctx, params object[] vars)
        {
            var (h, x, v, a, w) = Unpack(vars.Take(19).Select(o => o as Tensor).ToArray());
            var recorded = (bool)vars[19];
            var (b, n, hidden) = ((int)x.shape[0], (int)x.shape[1], (int)h.shape[2]);
            var output = torch.empty(b, n, hidden + 3);
            Tensor? saved = null;
            using (var scope = torch.NewDisposeScope())
            {
                var (problem, _) = Problem(h, x, v, a, w);
                if (recorded) saved = torch.empty(problem.SavedLength).MoveToOuterDisposeScope();
                unsafe
                {
                    EgnnKernel.Forward(problem, Pointer(output), saved is null ? null : Pointer(saved), torch.get_num_threads());
                }
            }
            if (recorded)
            {
                // The inputs (for the kernel's backward and, in a recorded backward, the tensor form) and the kernel's
                // saved intermediates; the optional inputs last.
                var kept = new List<Tensor> { h, x, saved! };
                kept.AddRange(w.All.Where(t => t is not null)!);
                if (v is not null) kept.Add(v);
                if (a is not null) kept.Add(a);
                ctx.save_for_backward(kept);
                ctx.save_data("velocity", w.Velocity);
                ctx.save_data("attributes", a is not null);
            }
            return output;
        }

        public override List<Tensor> backward(torch.autograd.AutogradContext ctx, Tensor gradient)
        {
            // The engine calls this outside the caller's scope: intermediates are freed here, at once.
            using var scope = torch.NewDisposeScope();
            var kept = ctx.get_saved_variables();
            var velocity = (bool)ctx.get_data("velocity");
            var hasAttributes = (bool)ctx.get_data("attributes");
            var (h, x, saved) = (kept[0], kept[1], kept[2]);
            var weightCount = velocity ? 15 : 11;
            var weights = kept.Skip(3).Take(weightCount).Concat(Enumerable.Repeat<Tensor>(null!, 15 - weightCount)).ToList();
            var w = EgnnLayerWeights.From(weights);
            var rest = 3 + weightCount;
            var v = velocity ? kept[rest++] : null;
            var a = hasAttributes ? kept[rest] : null;
            List<Tensor?> result;
            if (torch.is_grad_enabled())
                result = RecordedBackward(h, x, v, a, w, gradient);
            else
            {
                var (b, n, hidden) = ((int)x.shape[0], (int)x.shape[1], (int)h.shape[2]);
                var gradOutput = gradient.contiguous();
                var (gradH, gradX) = (torch.empty(b, n, hidden), torch.empty(b, n, 3));
                var gradV = v is not null && v.requires_grad ? torch.empty(b, n, 3) : null;
                var gradA = a is not null && a.requires_grad ? torch.empty(a.shape) : null;
                var gradWeights = w.All.Select(t => t is null ? null : torch.zeros_like(t)).ToArray();
                var (problem, _) = Problem(h, x, v, a, w);
                unsafe
                {
                    float* P(int k) => gradWeights[k] is null ? null : Pointer(gradWeights[k]!);
                    var gradients = new EgnnKernel.Gradients
                    {
                        W1 = P(0), B1 = P(1), W2 = P(2), B2 = P(3), W3 = P(4), B3 = P(5), W4 = P(6), Wn1 = P(7), Bn1 = P(8),
                        Wn2 = P(9), Bn2 = P(10), Wv1 = P(11), Bv1 = P(12), Wv2 = P(13), Bv2 = P(14),
                    };
                    EgnnKernel.Backward(problem, Pointer(saved), Pointer(gradOutput), Pointer(gradH), Pointer(gradX),
                        gradV is null ? null : Pointer(gradV), gradA is null ? null : Pointer(gradA), gradients, torch.get_num_threads());
                }
                result = new List<Tensor?> { gradH, gradX, gradV, gradA };
                result.AddRange(gradWeights);
            }
            foreach (var t in result) t?.MoveToOuterDisposeScope();
            result.Add(null);                                                             // the recorded flag
            return result!;
        }

        /// <summary>A backward pass that is itself recorded (create_graph, for second derivatives): the tensor form is
        /// re-run on the saved inputs and differentiated by autograd, so the gradients it returns are differentiable.</summary>
        private static List<Tensor?> RecordedBackward(Tensor h, Tensor x, Tensor? v, Tensor? a, EgnnLayerWeights w, Tensor gradient)
        {
            var inputs = new[] { h, x, v, a }.Concat(w.All).ToArray();
            var differentiable = inputs.Select((t, k) => (t, k)).Where(e => e.t is not null && e.t.requires_grad).ToList();
            var (hNew, xNew) = TensorForm(h, x, v, a, w);
            var hidden = h.shape[2];
            var grads = Guarded.Grad(new[] { hNew, xNew }, differentiable.Select(e => e.t!).ToArray(),
                new[] { gradient.narrow(-1, 0, hidden), gradient.narrow(-1, hidden, 3) }, retainGraph: true, createGraph: true, allowUnused: true);
            var result = new Tensor?[inputs.Length];
            for (var k = 0; k < differentiable.Count; k++) result[differentiable[k].k] = grads[k];
            return result.ToList();
        }

        private static (Tensor H, Tensor X, Tensor? V, Tensor? A, EgnnLayerWeights W) Unpack(Tensor?[] vars) =>
            (vars[0]!, vars[1]!, vars[2], vars[3], EgnnLayerWeights.From(vars.Skip(4).Take(15).ToList()));

        /// <summary>The kernel's view of the inputs. Rows of h, x and v are read in place when they are evenly strided
        /// (as the narrow views a previous layer returns are); anything else is copied contiguous, and the copies are
        /// returned to be kept alive for the call (they belong to the caller's dispose scope).</summary>
        private static unsafe (EgnnKernel.Problem Problem, List<Tensor> Copies) Problem(Tensor h, Tensor x, Tensor? v, Tensor? a, EgnnLayerWeights w)
        {
            var copies = new List<Tensor>();
            var hRows = RowsOf(h, copies);
            var xRows = RowsOf(x, copies);
            var vRows = v is null ? default : RowsOf(v, copies);
            var ac = a?.contiguous();
            var parameters = w.All.Select(t => t?.contiguous()).ToArray();
            copies.AddRange(parameters.Where(t => t is not null)!);
            if (ac is not null) copies.Add(ac);
            float* P(int k) => parameters[k] is null ? null : Pointer(parameters[k]!);
            var problem = new EgnnKernel.Problem
            {
                Systems = (int)x.shape[0], Nodes = (int)x.shape[1], Hidden = (int)h.shape[2], Attributes = a is null ? 0 : (int)a.shape[3],
                Velocity = w.Velocity, H = hRows, X = xRows, V = vRows, A = ac is null ? null : Pointer(ac),
                W = new EgnnKernel.Parameters
                {
                    W1 = P(0), B1 = P(1), W2 = P(2), B2 = P(3), W3 = P(4), B3 = P(5), W4 = P(6), Wn1 = P(7), Bn1 = P(8),
                    Wn2 = P(9), Bn2 = P(10), Wv1 = P(11), Bv1 = P(12), Wv2 = P(13), Bv2 = P(14),
                },
            };
            return (problem, copies);
        }

        /// <summary>Rows of a (B, N, W) tensor: in place when each row is contiguous and rows are evenly spaced.</summary>
        private static unsafe EgnnKernel.Rows RowsOf(Tensor t, List<Tensor> copies)
        {
            var (b, n, width) = (t.shape[0], t.shape[1], t.shape[2]);
            var stride = n > 1 ? t.stride(1) : b > 1 ? t.stride(0) : width;
            var even = (width == 1 || t.stride(2) == 1) && stride >= width && (n == 1 || t.stride(1) == stride) && (b == 1 || t.stride(0) == n * stride);
            if (!even)
            {
                t = t.contiguous();
                copies.Add(t);
                stride = width;
            }
            return new EgnnKernel.Rows(Pointer(t), stride);
        }

        private static unsafe float* Pointer(Tensor t) => (float*)TensorMemory.DataPointer(t);
    }
}
