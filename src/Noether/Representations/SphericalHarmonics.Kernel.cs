using System.Linq.Expressions;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Noether.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Noether.Representations;

public static partial class SphericalHarmonics
{
    /// <summary>The monomial evaluation of degrees ≤ <see cref="MonomialMaxDegree"/> as one pass over memory: for
    /// float32 and float64 CPU tensors, forward and first-order backward read each vector once and write its outputs
    /// once, SIMD across vectors (<see cref="Vector{T}"/> lanes: three strided gathers in, register transposes out) and
    /// split over libtorch's thread count. The tensor form moves ~15× more data through memory for the same arithmetic
    /// (one (n) tensor per monomial and product).</summary>
    /// <remarks>The arithmetic is that of <see cref="MonomialPlan.Forward"/> and <see cref="MonomialPlan.Backward"/>
    /// (the same monomials, tables, clamp and projection). The tables' nonzeros are compiled once per element type into
    /// straight-line code for one chunk of lanes (<see cref="Compiled{T}"/>), so no loop, index or zero entry is left in
    /// the inner work. The two forms agree to rounding (tested in float32 and float64). Second derivatives are not taken
    /// through this kernel: when the backward pass itself is recorded (autograd's <c>create_graph</c>), the
    /// differentiable tensor form runs instead. Where the runtime cannot compile code (ahead-of-time builds), the tensor
    /// form runs throughout.</remarks>
    private sealed class FusedKernel
    {
        /// <summary>Vectors per parallel task: large enough that scheduling is negligible, small enough to split
        /// a batch of a few thousand edges over two threads.</summary>
        private const int Grain = 2048;

        private readonly int _count, _lowerCount, _width;
        private readonly int[] _parent, _axis;                 // monomial k = monomial parent[k] × component axis[k]
        private readonly int[] _forwardStart, _forwardMonomial; // per output column: its nonzero table entries
        private readonly double[] _forwardCoefficient;
        private readonly int[] _backwardStart, _backwardColumn; // per (axis, lower monomial) row: its nonzero entries
        private readonly double[] _backwardCoefficient;

        public FusedKernel(MonomialPlan plan)
        {
            (_count, _lowerCount, _width) = (plan.Count, plan.LowerCount, plan.Width);
            var table = MonomialTable.For(plan.MaxDegree);
            _parent = new int[_count];
            _axis = new int[_count];
            foreach (var ((a, b, c), k) in table.Index)
            {
                if (k == 0) continue;
                // Any factor works, since every monomial of lower degree comes earlier in the table.
                (_parent[k], _axis[k]) = a > 0 ? (table.Index[(a - 1, b, c)], 0)
                    : b > 0 ? (table.Index[(a, b - 1, c)], 1) : (table.Index[(a, b, c - 1)], 2);
            }
            (_forwardStart, _forwardMonomial, _forwardCoefficient) = Transposed(plan.ValuesTable, _count, _width);
            (_backwardStart, _backwardColumn, _backwardCoefficient) = Rows(plan.DerivativesTable, 3 * _lowerCount, _width);
        }

        /// <summary>Y for one chunk of lanes: (x, y, z) → the output columns.</summary>
        private delegate void ForwardChunk<T>(Vector<T> x, Vector<T> y, Vector<T> z, Vector<T>[] columns) where T : unmanaged;

        /// <summary>∂L/∂u for one chunk of lanes: (x, y, z, ∂L/∂Y columns) → the three components.</summary>
        private delegate void BackwardChunk<T>(Vector<T> x, Vector<T> y, Vector<T> z, Vector<T>[] incoming, Vector<T>[] direction) where T : unmanaged;

        private readonly System.Collections.Concurrent.ConcurrentDictionary<Type, (Delegate Forward, Delegate Backward)> _compiled = new();

        /// <summary>The arithmetic of one chunk as straight-line code: the tables' nonzeros become constants of a
        /// method compiled once per element type (System.Linq.Expressions), so the JIT sees every product with its
        /// coefficient and no loops, indices or zero entries remain.</summary>
        private (ForwardChunk<T> Forward, BackwardChunk<T> Backward) Compiled<T>() where T : unmanaged, INumber<T>
        {
            var (forward, backward) = _compiled.GetOrAdd(typeof(T), _ => (CompileForward<T>(), CompileBackward<T>()));
            return ((ForwardChunk<T>)forward, (BackwardChunk<T>)backward);
        }

        /// <summary>The first <paramref name="count"/> monomials of the table as variables of the compiled body (monomial 0 is 1).</summary>
        private Expression[] MonomialExpressions<T>(ParameterExpression[] components, int count, List<ParameterExpression> variables,
            List<Expression> body) where T : unmanaged, INumber<T>
        {
            var monomials = new Expression[count];
            monomials[0] = Expression.Property(null, typeof(Vector<T>), nameof(Vector<T>.One));
            for (var k = 1; k < count; k++)
            {
                var m = Expression.Variable(typeof(Vector<T>), $"m{k}");
                variables.Add(m);
                body.Add(Expression.Assign(m, Expression.Multiply(monomials[_parent[k]], components[_axis[k]])));
                monomials[k] = m;
            }
            return monomials;
        }

        /// <summary>Σ factor_e · broadcast(coefficient_e), or zero for no terms.</summary>
        private static Expression Sum<T>(IEnumerable<(Expression Factor, double Coefficient)> terms) where T : unmanaged, INumber<T>
        {
            var constructor = typeof(Vector<T>).GetConstructor(new[] { typeof(T) })!;
            Expression? sum = null;
            foreach (var (factor, coefficient) in terms)
            {
                var term = Expression.Multiply(factor, Expression.New(constructor, Expression.Constant(T.CreateChecked(coefficient))));
                sum = sum is null ? term : Expression.Add(sum, term);
            }
            return sum ?? Expression.Property(null, typeof(Vector<T>), nameof(Vector<T>.Zero));
        }

        private ForwardChunk<T> CompileForward<T>() where T : unmanaged, INumber<T>
        {
            var components = new[] { "x", "y", "z" }.Select(n => Expression.Parameter(typeof(Vector<T>), n)).ToArray();
            var columns = Expression.Parameter(typeof(Vector<T>[]), "columns");
            var (variables, body) = (new List<ParameterExpression>(), new List<Expression>());
            var monomials = MonomialExpressions<T>(components, _count, variables, body);
            for (var c = 0; c < _width; c++)
                body.Add(Expression.Assign(Expression.ArrayAccess(columns, Expression.Constant(c)),
                    Sum<T>(Enumerable.Range(_forwardStart[c], _forwardStart[c + 1] - _forwardStart[c])
                        .Select(e => ((Expression)monomials[_forwardMonomial[e]], _forwardCoefficient[e])))));
            return Expression.Lambda<ForwardChunk<T>>(Expression.Block(variables, body), components.Append(columns)).Compile();
        }

        private BackwardChunk<T> CompileBackward<T>() where T : unmanaged, INumber<T>
        {
            var components = new[] { "x", "y", "z" }.Select(n => Expression.Parameter(typeof(Vector<T>), n)).ToArray();
            var (incoming, direction) = (Expression.Parameter(typeof(Vector<T>[]), "incoming"), Expression.Parameter(typeof(Vector<T>[]), "direction"));
            var (variables, body) = (new List<ParameterExpression>(), new List<Expression>());
            var monomials = MonomialExpressions<T>(components, _lowerCount, variables, body);
            var gradients = new Expression[_width];
            for (var c = 0; c < _width; c++)
            {
                var g = Expression.Variable(typeof(Vector<T>), $"g{c}");
                variables.Add(g);
                body.Add(Expression.Assign(g, Expression.ArrayIndex(incoming, Expression.Constant(c))));
                gradients[c] = g;
            }
            for (var a = 0; a < 3; a++)
            {
                var rows = Enumerable.Range(a * _lowerCount, _lowerCount).Where(r => _backwardStart[r + 1] > _backwardStart[r]);
                Expression? total = null;
                foreach (var r in rows)
                {
                    var inner = Sum<T>(Enumerable.Range(_backwardStart[r], _backwardStart[r + 1] - _backwardStart[r])
                        .Select(e => (gradients[_backwardColumn[e]], _backwardCoefficient[e])));
                    var term = Expression.Multiply(monomials[r - a * _lowerCount], inner);
                    total = total is null ? term : Expression.Add(total, term);
                }
                body.Add(Expression.Assign(Expression.ArrayAccess(direction, Expression.Constant(a)),
                    total ?? Expression.Property(null, typeof(Vector<T>), nameof(Vector<T>.Zero))));
            }
            return Expression.Lambda<BackwardChunk<T>>(Expression.Block(variables, body), components.Append(incoming).Append(direction)).Compile();
        }

        /// <summary>Nonzero entries of a row-major (rows × columns) table, grouped by column.</summary>
        private static (int[] Start, int[] Row, double[] Value) Transposed(double[] table, int rows, int columns) =>
            Rows(Enumerable.Range(0, rows * columns).Select(i => table[i % rows * columns + i / rows]).ToArray(), columns, rows);

        /// <summary>Nonzero entries of a row-major (rows × columns) table, grouped by row.</summary>
        private static (int[] Start, int[] Column, double[] Value) Rows(double[] table, int rows, int columns)
        {
            var (start, column, value) = (new int[rows + 1], new List<int>(), new List<double>());
            for (var r = 0; r < rows; r++)
            {
                for (var c = 0; c < columns; c++)
                    if (table[r * columns + c] != 0) { column.Add(c); value.Add(table[r * columns + c]); }
                start[r + 1] = column.Count;
            }
            return (start, column.ToArray(), value.ToArray());
        }

        /// <summary>Whether the kernel runs on these tensors (CPU, float32 or float64, SIMD available).</summary>
        public static bool Supports(Tensor t) =>
            Vector.IsHardwareAccelerated && RuntimeFeature.IsDynamicCodeCompiled && t.device_type == DeviceType.CPU && t.dtype is ScalarType.Float32 or ScalarType.Float64;

        /// <summary>Y for (n, 3) vectors: (n, Width), not recorded by autograd.</summary>
        public Tensor Forward(Tensor flat, bool normalize)
        {
            var input = flat.detach().contiguous();
            var output = torch.empty(input.shape[0], _width, dtype: input.dtype, device: input.device);
            var (n, source, target) = (input.shape[0], TensorMemory.DataPointer(input), TensorMemory.DataPointer(output));
            if (input.dtype == ScalarType.Float32)
            {
                var chunk = Compiled<float>().Forward;
                Run(n, (start, end) => ForwardRange(chunk, source, target, start, end, normalize));
            }
            else
            {
                var chunk = Compiled<double>().Forward;
                Run(n, (start, end) => ForwardRange(chunk, source, target, start, end, normalize));
            }
            GC.KeepAlive(input);
            return output;
        }

        /// <summary>∂L/∂v for (n, 3) vectors from ∂L/∂Y (n, Width), not recorded by autograd.</summary>
        public Tensor Backward(Tensor flat, Tensor gradient, bool normalize)
        {
            var input = flat.detach().contiguous();
            var incoming = gradient.detach().to_type(input.dtype).contiguous();
            var output = torch.empty(input.shape[0], 3, dtype: input.dtype, device: input.device);
            var (n, source, upstream, target) = (input.shape[0], TensorMemory.DataPointer(input), TensorMemory.DataPointer(incoming),
                TensorMemory.DataPointer(output));
            if (input.dtype == ScalarType.Float32)
            {
                var chunk = Compiled<float>().Backward;
                Run(n, (start, end) => BackwardRange(chunk, source, upstream, target, start, end, normalize));
            }
            else
            {
                var chunk = Compiled<double>().Backward;
                Run(n, (start, end) => BackwardRange(chunk, source, upstream, target, start, end, normalize));
            }
            GC.KeepAlive(input);
            GC.KeepAlive(incoming);
            return output;
        }

        /// <summary>Splits [0, n) into ranges over libtorch's thread count.</summary>
        private static void Run(long n, Action<long, long> range) =>
            ParallelRanges.For(n, (int)Math.Min(Math.Max(1, torch.get_num_threads()), (n + Grain - 1) / Grain), (_, start, end) => range(start, end));

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private unsafe void ForwardRange<T>(ForwardChunk<T> chunk, long source, long target, long start, long end, bool normalize)
            where T : unmanaged, INumber<T>
        {
            T* input = (T*)source, output = (T*)target;
            var lanes = Vector<T>.Count;
            Span<T> scratch = stackalloc T[3 * lanes];
            var columns = new Vector<T>[_width];
            Span<Vector<T>> components = stackalloc Vector<T>[3];
            var tiny = new Vector<T>(T.CreateChecked(1e-24));
            for (var i = start; i < end; i += lanes)
            {
                var count = (int)Math.Min(lanes, end - i);
                Load(input + 3 * i, count, components, scratch);
                if (normalize)
                {
                    var inverse = Vector<T>.One / Vector.SquareRoot(Vector.Max(
                        components[0] * components[0] + components[1] * components[1] + components[2] * components[2], tiny));
                    chunk(components[0] * inverse, components[1] * inverse, components[2] * inverse, columns);
                }
                else chunk(components[0], components[1], components[2], columns);
                StoreRows(columns, output + i * _width, _width, count);
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private unsafe void BackwardRange<T>(BackwardChunk<T> chunk, long source, long upstream, long target, long start, long end, bool normalize)
            where T : unmanaged, INumber<T>
        {
            T* input = (T*)source, gradient = (T*)upstream, output = (T*)target;
            var lanes = Vector<T>.Count;
            Span<T> scratch = stackalloc T[3 * lanes];
            var incoming = new Vector<T>[_width];
            var direction = new Vector<T>[3];
            Span<Vector<T>> components = stackalloc Vector<T>[3];
            var tiny = new Vector<T>(T.CreateChecked(1e-24));
            for (var i = start; i < end; i += lanes)
            {
                var count = (int)Math.Min(lanes, end - i);
                Load(input + 3 * i, count, components, scratch);
                LoadColumns(gradient + i * _width, _width, count, incoming, scratch);
                if (normalize)
                {
                    var squared = components[0] * components[0] + components[1] * components[1] + components[2] * components[2];
                    var inverse = Vector<T>.One / Vector.SquareRoot(Vector.Max(squared, tiny));
                    Vector<T> ux = components[0] * inverse, uy = components[1] * inverse, uz = components[2] * inverse;
                    chunk(ux, uy, uz, incoming, direction);
                    // u = v / max(|v|, 1e-12): ∂L/∂v = (∂L/∂u − u (u · ∂L/∂u)) / |v| where |v| > 1e-12 (the clamp is flat below).
                    var radial = Vector.ConditionalSelect(Vector.GreaterThan(squared, tiny), ux * direction[0] + uy * direction[1] + uz * direction[2],
                        Vector<T>.Zero);
                    components[0] = (direction[0] - ux * radial) * inverse;
                    components[1] = (direction[1] - uy * radial) * inverse;
                    components[2] = (direction[2] - uz * radial) * inverse;
                }
                else
                {
                    chunk(components[0], components[1], components[2], incoming, direction);
                    (components[0], components[1], components[2]) = (direction[0], direction[1], direction[2]);
                }
                Store(components, output + 3 * i, count, scratch);
            }
        }

        /// <summary>Writes <paramref name="count"/> rows of <paramref name="width"/> values (row stride width) from
        /// column vectors (lane j = row j): 8 × 8 (float) or 4 × 4 (double) register transposes where a whole chunk
        /// of columns fits, element by element for the rest.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static unsafe void StoreRows<T>(Vector<T>[] columns, T* rows, int width, int count) where T : unmanaged
        {
            var c = 0;
            if (count == Vector<T>.Count && Avx.IsSupported)
            {
                if (typeof(T) == typeof(float) && Vector<T>.Count == 8)
                    for (; c + 8 <= width; c += 8)
                    {
                        Transpose8(columns[c].AsVector256().AsSingle(), columns[c + 1].AsVector256().AsSingle(),
                            columns[c + 2].AsVector256().AsSingle(), columns[c + 3].AsVector256().AsSingle(),
                            columns[c + 4].AsVector256().AsSingle(), columns[c + 5].AsVector256().AsSingle(),
                            columns[c + 6].AsVector256().AsSingle(), columns[c + 7].AsVector256().AsSingle(),
                            out var r0, out var r1, out var r2, out var r3, out var r4, out var r5, out var r6, out var r7);
                        var target = (float*)rows + c;
                        Avx.Store(target, r0); Avx.Store(target + width, r1); Avx.Store(target + 2 * width, r2);
                        Avx.Store(target + 3 * width, r3); Avx.Store(target + 4 * width, r4); Avx.Store(target + 5 * width, r5);
                        Avx.Store(target + 6 * width, r6); Avx.Store(target + 7 * width, r7);
                    }
                else if (typeof(T) == typeof(double) && Vector<T>.Count == 4)
                    for (; c + 4 <= width; c += 4)
                    {
                        Transpose4(columns[c].AsVector256().AsDouble(), columns[c + 1].AsVector256().AsDouble(),
                            columns[c + 2].AsVector256().AsDouble(), columns[c + 3].AsVector256().AsDouble(),
                            out var r0, out var r1, out var r2, out var r3);
                        var target = (double*)rows + c;
                        Avx.Store(target, r0); Avx.Store(target + width, r1); Avx.Store(target + 2 * width, r2); Avx.Store(target + 3 * width, r3);
                    }
            }
            for (; c < width; c++)
                for (var j = 0; j < count; j++) rows[j * width + c] = columns[c][j];
        }

        /// <summary>The inverse of <see cref="StoreRows{T}"/>: <paramref name="count"/> rows of <paramref name="width"/>
        /// values into column vectors (lane j = row j; lanes past count are zero).</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static unsafe void LoadColumns<T>(T* rows, int width, int count, Vector<T>[] columns, Span<T> scratch) where T : unmanaged
        {
            var c = 0;
            var lanes = Vector<T>.Count;
            if (count == lanes && Avx.IsSupported)
            {
                if (typeof(T) == typeof(float) && lanes == 8)
                    for (; c + 8 <= width; c += 8)
                    {
                        var source = (float*)rows + c;
                        Transpose8(Avx.LoadVector256(source), Avx.LoadVector256(source + width), Avx.LoadVector256(source + 2 * width),
                            Avx.LoadVector256(source + 3 * width), Avx.LoadVector256(source + 4 * width), Avx.LoadVector256(source + 5 * width),
                            Avx.LoadVector256(source + 6 * width), Avx.LoadVector256(source + 7 * width),
                            out var r0, out var r1, out var r2, out var r3, out var r4, out var r5, out var r6, out var r7);
                        (columns[c], columns[c + 1], columns[c + 2], columns[c + 3]) = (r0.As<float, T>().AsVector(), r1.As<float, T>().AsVector(),
                            r2.As<float, T>().AsVector(), r3.As<float, T>().AsVector());
                        (columns[c + 4], columns[c + 5], columns[c + 6], columns[c + 7]) = (r4.As<float, T>().AsVector(), r5.As<float, T>().AsVector(),
                            r6.As<float, T>().AsVector(), r7.As<float, T>().AsVector());
                    }
                else if (typeof(T) == typeof(double) && lanes == 4)
                    for (; c + 4 <= width; c += 4)
                    {
                        var source = (double*)rows + c;
                        Transpose4(Avx.LoadVector256(source), Avx.LoadVector256(source + width), Avx.LoadVector256(source + 2 * width),
                            Avx.LoadVector256(source + 3 * width), out var r0, out var r1, out var r2, out var r3);
                        (columns[c], columns[c + 1], columns[c + 2], columns[c + 3]) = (r0.As<double, T>().AsVector(), r1.As<double, T>().AsVector(),
                            r2.As<double, T>().AsVector(), r3.As<double, T>().AsVector());
                    }
            }
            for (; c < width; c++)
            {
                scratch.Clear();
                for (var j = 0; j < count; j++) scratch[j] = rows[j * width + c];
                columns[c] = new Vector<T>(scratch);
            }
        }

        /// <summary>8 × 8 transpose of float registers (row k of the result = lane k of each input).</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static void Transpose8(Vector256<float> a0, Vector256<float> a1, Vector256<float> a2, Vector256<float> a3,
            Vector256<float> a4, Vector256<float> a5, Vector256<float> a6, Vector256<float> a7,
            out Vector256<float> r0, out Vector256<float> r1, out Vector256<float> r2, out Vector256<float> r3,
            out Vector256<float> r4, out Vector256<float> r5, out Vector256<float> r6, out Vector256<float> r7)
        {
            Vector256<float> t0 = Avx.UnpackLow(a0, a1), t1 = Avx.UnpackHigh(a0, a1), t2 = Avx.UnpackLow(a2, a3), t3 = Avx.UnpackHigh(a2, a3);
            Vector256<float> t4 = Avx.UnpackLow(a4, a5), t5 = Avx.UnpackHigh(a4, a5), t6 = Avx.UnpackLow(a6, a7), t7 = Avx.UnpackHigh(a6, a7);
            Vector256<float> s0 = Avx.Shuffle(t0, t2, 0x44), s1 = Avx.Shuffle(t0, t2, 0xEE), s2 = Avx.Shuffle(t1, t3, 0x44), s3 = Avx.Shuffle(t1, t3, 0xEE);
            Vector256<float> s4 = Avx.Shuffle(t4, t6, 0x44), s5 = Avx.Shuffle(t4, t6, 0xEE), s6 = Avx.Shuffle(t5, t7, 0x44), s7 = Avx.Shuffle(t5, t7, 0xEE);
            r0 = Avx.Permute2x128(s0, s4, 0x20); r1 = Avx.Permute2x128(s1, s5, 0x20); r2 = Avx.Permute2x128(s2, s6, 0x20); r3 = Avx.Permute2x128(s3, s7, 0x20);
            r4 = Avx.Permute2x128(s0, s4, 0x31); r5 = Avx.Permute2x128(s1, s5, 0x31); r6 = Avx.Permute2x128(s2, s6, 0x31); r7 = Avx.Permute2x128(s3, s7, 0x31);
        }

        /// <summary>4 × 4 transpose of double registers.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static void Transpose4(Vector256<double> a0, Vector256<double> a1, Vector256<double> a2, Vector256<double> a3,
            out Vector256<double> r0, out Vector256<double> r1, out Vector256<double> r2, out Vector256<double> r3)
        {
            Vector256<double> t0 = Avx.UnpackLow(a0, a1), t1 = Avx.UnpackHigh(a0, a1), t2 = Avx.UnpackLow(a2, a3), t3 = Avx.UnpackHigh(a2, a3);
            r0 = Avx.Permute2x128(t0, t2, 0x20); r1 = Avx.Permute2x128(t1, t3, 0x20);
            r2 = Avx.Permute2x128(t0, t2, 0x31); r3 = Avx.Permute2x128(t1, t3, 0x31);
        }

        /// <summary>The components of <paramref name="count"/> interleaved 3-vectors as three lane vectors (lanes past
        /// count are zero): three strided gathers for a whole chunk, element by element for the last.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static unsafe void Load<T>(T* vectors, int count, Span<Vector<T>> components, Span<T> scratch) where T : unmanaged
        {
            var lanes = Vector<T>.Count;
            if (count == lanes && Avx2.IsSupported)
            {
                if (typeof(T) == typeof(float) && lanes == 8)
                {
                    var index = Vector256.Create(0, 3, 6, 9, 12, 15, 18, 21);
                    var source = (float*)vectors;
                    components[0] = Avx2.GatherVector256(source, index, 4).As<float, T>().AsVector();
                    components[1] = Avx2.GatherVector256(source + 1, index, 4).As<float, T>().AsVector();
                    components[2] = Avx2.GatherVector256(source + 2, index, 4).As<float, T>().AsVector();
                    return;
                }
                if (typeof(T) == typeof(double) && lanes == 4)
                {
                    var index = Vector128.Create(0, 3, 6, 9);
                    var source = (double*)vectors;
                    components[0] = Avx2.GatherVector256(source, index, 8).As<double, T>().AsVector();
                    components[1] = Avx2.GatherVector256(source + 1, index, 8).As<double, T>().AsVector();
                    components[2] = Avx2.GatherVector256(source + 2, index, 8).As<double, T>().AsVector();
                    return;
                }
            }
            scratch.Clear();
            for (var j = 0; j < count; j++, vectors += 3)
                (scratch[j], scratch[lanes + j], scratch[2 * lanes + j]) = (vectors[0], vectors[1], vectors[2]);
            for (var a = 0; a < 3; a++) components[a] = new Vector<T>(scratch.Slice(a * lanes, lanes));
        }

        /// <summary>Three lane vectors as <paramref name="count"/> interleaved 3-vectors.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static unsafe void Store<T>(Span<Vector<T>> components, T* vectors, int count, Span<T> scratch) where T : unmanaged
        {
            var lanes = Vector<T>.Count;
            for (var a = 0; a < 3; a++) components[a].CopyTo(scratch.Slice(a * lanes, lanes));
            for (var j = 0; j < count; j++, vectors += 3)
                (vectors[0], vectors[1], vectors[2]) = (scratch[j], scratch[lanes + j], scratch[2 * lanes + j]);
        }
    }
}
