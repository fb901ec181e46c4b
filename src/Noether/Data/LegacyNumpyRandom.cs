namespace Noether.Data;

/// <summary>The random stream of numpy's legacy <c>numpy.random.seed(s)</c> / <c>RandomState</c>, reproduced value for
/// value: the Mersenne Twister MT19937 (Matsumoto and Nishimura 1998) seeded by its <c>init_genrand</c> rule, uniform
/// doubles from two 32-bit outputs (53 bits), and standard normals by the polar method that keeps the second value of
/// each pair for the next call.</summary>
/// <remarks>Used to regenerate data sets that published Python code drew from that stream (the EGNN paper's N-body
/// systems, <see cref="NBodySimulation.GenerateReference"/>), so that results compare draw for draw with the paper
/// rather than only in distribution. Not thread-safe.</remarks>
public sealed class LegacyNumpyRandom
{
    private const int N = 624;
    private const int M = 397;
    private readonly uint[] _state = new uint[N];
    private int _position;
    private double? _cachedGaussian;

    /// <summary>Seeds the stream as <c>numpy.random.seed(seed)</c> does for an integer seed.</summary>
    public LegacyNumpyRandom(uint seed)
    {
        _state[0] = seed;
        for (var i = 1; i < N; i++)
            _state[i] = unchecked(1812433253u * (_state[i - 1] ^ (_state[i - 1] >> 30)) + (uint)i);
        _position = N;
    }

    /// <summary>The next 32-bit output of MT19937.</summary>
    public uint NextUInt32()
    {
        if (_position >= N) Twist();
        var y = _state[_position++];
        y ^= y >> 11;
        y ^= (y << 7) & 0x9d2c5680u;
        y ^= (y << 15) & 0xefc60000u;
        y ^= y >> 18;
        return y;
    }

    /// <summary>A uniform double in [0, 1), as <c>random_sample</c>.</summary>
    public double NextDouble()
    {
        var a = NextUInt32() >> 5;
        var b = NextUInt32() >> 6;
        return (a * 67108864.0 + b) / 9007199254740992.0;
    }

    /// <summary>A standard normal, as <c>randn</c> / <c>standard_normal</c> of the legacy stream.</summary>
    public double NextGaussian()
    {
        if (_cachedGaussian is { } cached)
        {
            _cachedGaussian = null;
            return cached;
        }
        double x1, x2, r2;
        do
        {
            x1 = 2.0 * NextDouble() - 1.0;
            x2 = 2.0 * NextDouble() - 1.0;
            r2 = x1 * x1 + x2 * x2;
        } while (r2 >= 1.0 || r2 == 0.0);
        var f = Math.Sqrt(-2.0 * Math.Log(r2) / r2);
        _cachedGaussian = f * x1;
        return f * x2;
    }

    private void Twist()
    {
        const uint upper = 0x80000000u, lower = 0x7fffffffu, matrix = 0x9908b0dfu;
        for (var i = 0; i < N; i++)
        {
            var y = (_state[i] & upper) | (_state[(i + 1) % N] & lower);
            _state[i] = _state[(i + M) % N] ^ (y >> 1) ^ ((y & 1u) != 0 ? matrix : 0u);
        }
        _position = 0;
    }
}
