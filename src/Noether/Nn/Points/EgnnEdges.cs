using Noether.Runtime;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Noether.Nn.Points;

/// <summary>How an <see cref="EgnnLayer"/> evaluates its edge terms.</summary>
internal enum EgnnEdgePath
{
    /// <summary>The fused kernel where it runs at hardware speed (float32 on the CPU, H a multiple of 16, 512-bit
    /// vectors accelerated), the tensor form elsewhere.</summary>
    Automatic,
    /// <summary>Always the tensor form.</summary>
    TensorForm,
    /// <summary>The fused kernel wherever it applies (float32 CPU, H a multiple of 16), accelerated or not: for tests.</summary>
    Kernel,
}

/// <summary>The edge terms of an <see cref="EgnnLayer"/>: from the node terms P = W_i h + b₁ and Q = W_j h of φ_e's
/// first layer, the coordinates x (B, N, 3) and edge attributes a (B, N, N, A) or null, the coordinate shift
/// κ Σ_{j≠i} (x_i − x_j) φ_x(m_ij) (B, N, 3) and the message sum Σ_{j≠i} m_ij (B, N, H), κ = 1/max(N − 1, 1).</summary>
/// <remarks>Two evaluations with the same result: <see cref="TensorForm"/> in differentiable tensor operations (every
/// dtype and device, any order of derivative), and <see cref="Fused"/>, one autograd node whose forward and backward
/// passes are <see cref="EgnnEdgeKernel"/>. They agree to float32 rounding (tested, values and gradients).</remarks>
internal static class EgnnEdges
{
    /// <summary>The weights of φ_e (after its first layer's node terms) and φ_x: W_s (H, 1 + A) the first layer's
    /// columns for [r, a]; W₂, b₂ φ_e's second layer; W₃, b₃ φ_x's first layer; w₄ (1, H) φ_x's last.</summary>
    internal readonly record struct Weights(Tensor Scalar, Tensor W2, Tensor B2, Tensor W3, Tensor B3, Tensor W4);

    /// <summary>Whether <see cref="Fused"/> applies to these inputs under <paramref name="path"/>.</summary>
    public static bool UsesKernel(EgnnEdgePath path, Tensor x, Tensor p, Tensor? attributes) =>
        path != EgnnEdgePath.TensorForm
        && (path == EgnnEdgePath.Kernel || EgnnEdgeKernel.IsAccelerated)
        && x.device_type == DeviceType.CPU && x.dtype == ScalarType.Float32 && p.dtype == ScalarType.Float32
        && p.shape[2] % 16 == 0 && (attributes is null || attributes.dtype == ScalarType.Float32);

    /// <summary>The edge terms in differentiable tensor operations. The dense (B, N, N) grid includes the self-pairs:
    /// x_i − x_i = 0 removes them from the shift, and the message sum subtracts m_ii (cheaper than masking).</summary>
    public static (Tensor Shift, Tensor Messages) TensorForm(Tensor p, Tensor q, Tensor x, Tensor? attributes, Weights w)
    {
        using var scope = torch.NewDisposeScope();
        var (b, n, h) = (x.shape[0], x.shape[1], p.shape[2]);
        var diff = x.unsqueeze(2) - x.unsqueeze(1);                                     // (B, N, N, 3): x_i − x_j
        var radial = diff.square().sum(-1, keepdim: true);                               // (B, N, N, 1)
        var scalars = attributes is null ? radial : torch.cat(new[] { radial, attributes }, -1);
        // φ_e's first layer: the node terms broadcast over the grid, the per-edge scalars through one fused multiply-add.
        var nodes = (p.unsqueeze(2) + q.unsqueeze(1)).view(-1, h);
        var first = torch.addmm(nodes, scalars.view(-1, scalars.shape[^1]), w.Scalar.t(), 1, 1);
        var m = functional.silu(functional.linear(functional.silu(first), w.W2, w.B2)).view(b, n, n, h);
        var c = functional.linear(functional.silu(functional.linear(m, w.W3, w.B3)), w.W4);   // (B, N, N, 1)
        var shift = (diff * c).sum(2) / Math.Max(n - 1, 1);
        var messages = m.sum(2) - m.diagonal(0, 1, 2).transpose(1, 2);
        return (shift.MoveToOuterDisposeScope(), messages.MoveToOuterDisposeScope());
    }

    /// <summary>The edge terms as one autograd node run by <see cref="EgnnEdgeKernel"/> (float32 CPU, H a multiple of 16).</summary>
    public static (Tensor Shift, Tensor Messages) Fused(Tensor p, Tensor q, Tensor x, Tensor? attributes, Weights w)
    {
        var recorded = torch.is_grad_enabled() && new[] { p, q, x, attributes, w.Scalar, w.W2, w.B2, w.W3, w.B3, w.W4 }
            .Any(t => t is not null && t.requires_grad);
        // One output, shift and messages side by side: its gradient is always defined, also when the features of a
        // last layer go unused (TorchSharp cannot stand in zeros for an unused output of a multi-output function).
        var both = EdgeFunction.apply(p, q, x, attributes!, w.Scalar, w.W2, w.B2, w.W3, w.B3, w.W4, recorded);
        return (both.narrow(-1, 0, 3), both.narrow(-1, 3, p.shape[2]));
    }

    private sealed class EdgeFunction : torch.autograd.SingleTensorFunction<EdgeFunction>
    {
        public override string Name => "EgnnEdges";

        public override Tensor forward(torch.autograd.AutogradContext ctx, params object[] vars)
        {
            var inputs = Inputs(vars);
            var (p, q, x, a, w) = inputs;
            var save = (bool)vars[10];
            var (b, n, h) = ((int)x.shape[0], (int)x.shape[1], (int)p.shape[2]);
            var attributes = a is null ? 0 : (int)a.shape[3];
            Tensor? saved = save ? torch.empty(3L * b * n * (n - 1), h) : null;
            Tensor both;
            using (var scope = torch.NewDisposeScope())
            {
                var shift = torch.empty(b, n, 3);
                var messages = torch.empty(b, n, h);
                var pc = p.contiguous();
                var qc = q.contiguous();
                var xc = x.contiguous();
                var ac = a?.contiguous();
                var scalarT = w.Scalar.t().contiguous();
                var w2T = w.W2.t().contiguous();
                var w3T = w.W3.t().contiguous();
                var (b2, b3, w4) = (w.B2.contiguous(), w.B3.contiguous(), w.W4.contiguous());
                unsafe
                {
                    var problem = Problem(b, n, h, attributes, xc, ac, scalarT, w4);
                    EgnnEdgeKernel.Forward(problem, Pointer(pc), Pointer(qc), Pointer(w2T), Pointer(b2), Pointer(w3T), Pointer(b3),
                        Pointer(shift), Pointer(messages), saved is null ? null : Pointer(saved), torch.get_num_threads());
                }
                both = torch.cat(new[] { shift, messages }, -1).MoveToOuterDisposeScope();
            }
            if (save)
            {
                // The inputs themselves for a recorded backward (create_graph), u₁, u₂, u₃ for the kernel's.
                var kept = new List<Tensor> { p, q, x, w.Scalar, w.W2, w.B2, w.W3, w.B3, w.W4, saved! };
                if (a is not null) kept.Add(a);
                ctx.save_for_backward(kept);
            }
            return both;
        }

        public override List<Tensor> backward(torch.autograd.AutogradContext ctx, Tensor gradient)
        {
            // The engine calls this on its own thread, outside any caller's scope: intermediates are freed here, at once.
            using var scope = torch.NewDisposeScope();
            var kept = ctx.get_saved_variables();
            var (p, q, x, a, saved) = (kept[0], kept[1], kept[2], kept.Count > 10 ? kept[10] : null, kept[9]);
            var w = new Weights(kept[3], kept[4], kept[5], kept[6], kept[7], kept[8]);
            var gradShift = gradient.narrow(-1, 0, 3).contiguous();
            var gradMessages = gradient.narrow(-1, 3, p.shape[2]).contiguous();
            List<Tensor> result;
            if (torch.is_grad_enabled())
                result = RecordedBackward(p, q, x, a, w, gradShift, gradMessages);
            else
            {
                var (b, n, h) = ((int)x.shape[0], (int)x.shape[1], (int)p.shape[2]);
                var attributes = a is null ? 0 : (int)a.shape[3];
                var xc = x.contiguous();
                var ac = a?.contiguous();
                var scalarT = w.Scalar.t().contiguous();
                var (w2, w3, w4) = (w.W2.contiguous(), w.W3.contiguous(), w.W4.contiguous());
                var (gradP, gradQ, gradX) = (torch.empty(b, n, h), torch.empty(b, n, h), torch.empty(b, n, 3));
                var gradA = a is not null && a.requires_grad ? torch.empty(b, n, n, attributes) : null;
                var gradScalarT = torch.zeros(1 + attributes, h);
                var (gradW2, gradW3) = (torch.zeros(h, h), torch.zeros(h, h));
                var (gradB2, gradB3, gradW4) = (torch.zeros(h), torch.zeros(h), torch.zeros(1, h));
                unsafe
                {
                    var problem = Problem(b, n, h, attributes, xc, ac, scalarT, w4);
                    var weights = new EgnnEdgeKernel.WeightGradients
                    {
                        ScalarWeightsT = Pointer(gradScalarT), W2 = Pointer(gradW2), W3 = Pointer(gradW3),
                        B2 = Pointer(gradB2), B3 = Pointer(gradB3), W4 = Pointer(gradW4),
                    };
                    EgnnEdgeKernel.Backward(problem, Pointer(saved), Pointer(w2), Pointer(w3), Pointer(gradShift), Pointer(gradMessages),
                        Pointer(gradP), Pointer(gradQ), Pointer(gradX), gradA is null ? null : Pointer(gradA), weights, torch.get_num_threads());
                }
                result = new List<Tensor> { gradP, gradQ, gradX, gradA!, gradScalarT.t().contiguous(), gradW2, gradB2, gradW3, gradB3, gradW4 };
            }
            foreach (var t in result) t?.MoveToOuterDisposeScope();
            result.Add(null!);                                                            // the save flag
            return result;
        }

        /// <summary>A backward pass that is itself recorded (create_graph, for second derivatives): the tensor form is
        /// re-run on the saved inputs and differentiated by autograd, so the gradients it returns are differentiable.</summary>
        private static List<Tensor> RecordedBackward(Tensor p, Tensor q, Tensor x, Tensor? a, Weights w, Tensor gradShift, Tensor gradMessages)
        {
            var inputs = new[] { p, q, x, a, w.Scalar, w.W2, w.B2, w.W3, w.B3, w.W4 };
            var differentiable = inputs.Select((t, k) => (t, k)).Where(e => e.t is not null && e.t.requires_grad).ToList();
            var (shift, messages) = TensorForm(p, q, x, a, w);
            var grads = torch.autograd.grad(new[] { shift, messages }, differentiable.Select(e => e.t!).ToArray(),
                new[] { gradShift, gradMessages }, retain_graph: true, create_graph: true, allow_unused: true);
            var result = new Tensor[inputs.Length];
            for (var k = 0; k < differentiable.Count; k++) result[differentiable[k].k] = grads[k];
            return result.ToList();
        }

        private static (Tensor P, Tensor Q, Tensor X, Tensor? A, Weights W) Inputs(object[] vars) =>
            ((Tensor)vars[0], (Tensor)vars[1], (Tensor)vars[2], vars[3] as Tensor,
             new Weights((Tensor)vars[4], (Tensor)vars[5], (Tensor)vars[6], (Tensor)vars[7], (Tensor)vars[8], (Tensor)vars[9]));

        private static unsafe EgnnEdgeKernel.Problem Problem(int b, int n, int h, int attributes, Tensor x, Tensor? a, Tensor scalarT, Tensor w4) => new()
        {
            Systems = b, Nodes = n, Hidden = h, Attributes = attributes,
            X = Pointer(x), A = a is null ? null : Pointer(a), ScalarWeightsT = Pointer(scalarT), W4 = Pointer(w4),
        };

        private static unsafe float* Pointer(Tensor t) => (float*)TensorMemory.DataPointer(t);
    }
}
