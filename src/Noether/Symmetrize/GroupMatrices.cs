using Noether.Representations;
using static TorchSharp.torch;

namespace Noether.Symmetrize;

/// <summary>The matrices of a finite group's representation stacked as one tensor.</summary>
internal static class GroupMatrices
{
    /// <summary>(|G|, d, d) float32, ρ(g) for g in <c>Group.Elements</c> order (transposed if asked).</summary>
    public static Tensor Stack(Representation representation, bool transpose = false)
    {
        var elements = representation.Group.Elements;
        int d = representation.Dim;
        var data = new float[elements.Count * d * d];
        for (int k = 0; k < elements.Count; k++)
        {
            var m = representation.Matrix(elements[k]);
            for (int i = 0; i < d; i++)
                for (int j = 0; j < d; j++)
                    data[(k * d + i) * d + j] = (float)(transpose ? m[j, i] : m[i, j]);
        }
        return tensor(data, new long[] { elements.Count, d, d });
    }
}
