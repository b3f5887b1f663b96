using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using MLNetNN.Networks;

namespace MLNetNN.Optimizers;

/// <summary>
/// Adam: <c>m ← β₁m + (1−β₁)g</c>, <c>v ← β₂v + (1−β₂)g²</c>,
/// <c>θ ← θ − lr · m̂ / (√v̂ + ε)</c> with the bias corrections <c>m̂ = m/(1−β₁ᵗ)</c>, <c>v̂ = v/(1−β₂ᵗ)</c>.
/// With a weight decay λ it becomes AdamW: before the step, weights (not biases) shrink by <c>θ ← θ·(1 − lr·λ)</c>.
/// </summary>
public sealed class Adam : IOptimizer
{
    private readonly float _beta1, _beta2, _epsilon, _weightDecay;
    private float[] _m = [], _v = [];
    private ParameterLayout? _layout;
    private int _t;
    private readonly int _threads;
    private UpdateJob? _job;

    /// <summary>
    /// Adam with the given moment decay rates and ε; a positive <paramref name="weightDecay"/> makes it AdamW.
    /// The update may use up to <paramref name="threads"/> threads, each on its own slice of θ (element-wise, so any split gives the same θ).
    /// </summary>
    public Adam(float beta1 = 0.9f, float beta2 = 0.999f, float epsilon = 1e-8f, float weightDecay = 0f, int threads = 1)
    {
        if (!(beta1 >= 0f && beta1 < 1f)) throw new ArgumentOutOfRangeException(nameof(beta1), beta1, "β₁ must be in [0, 1).");
        if (!(beta2 >= 0f && beta2 < 1f)) throw new ArgumentOutOfRangeException(nameof(beta2), beta2, "β₂ must be in [0, 1).");
        if (!(epsilon > 0f)) throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "ε must be positive.");
        if (!(weightDecay >= 0f)) throw new ArgumentOutOfRangeException(nameof(weightDecay), weightDecay, "Weight decay must not be negative.");
        if (threads < 1) throw new ArgumentOutOfRangeException(nameof(threads), threads, "Threads must be at least 1.");
        (_beta1, _beta2, _epsilon, _weightDecay, _threads) = (beta1, beta2, epsilon, weightDecay, threads);
    }

    /// <inheritdoc/>
    public OptimizerKind Kind => _weightDecay > 0f ? OptimizerKind.AdamW : OptimizerKind.Adam;

    /// <inheritdoc/>
    public void Initialize(ParameterLayout layout)
    {
        _layout = layout;
        _m = new float[layout.Count];
        _v = new float[layout.Count];
        _t = 0;
    }

    /// <inheritdoc/>
    public unsafe void Step(Span<float> parameters, ReadOnlySpan<float> gradients, float learningRate)
    {
        if (_layout is null) throw new InvalidOperationException("Initialize the optimiser before the first step.");
        if (parameters.Length != _m.Length || gradients.Length != _m.Length)
            throw new ArgumentException($"The optimiser was initialised for {_m.Length} parameters; got {parameters.Length} parameters and {gradients.Length} gradients.");
        _t++;
        if (_weightDecay > 0f)
        {
            float shrink = 1f - learningRate * _weightDecay;
            foreach (var (offset, length) in _layout.WeightSegments)
            {
                Span<float> weights = parameters.Slice(offset, length);
                foreach (Range r in Numerics.CacheSlices.Of(length)) System.Numerics.Tensors.TensorPrimitives.Multiply(weights[r], shrink, weights[r]);
            }
        }
        // PyTorch's arrangement: step = lr/(1−β₁ᵗ) · m / (√v/√(1−β₂ᵗ) + ε).
        float stepSize = learningRate / (1f - MathF.Pow(_beta1, _t));
        float invSqrtBias2 = 1f / MathF.Sqrt(1f - MathF.Pow(_beta2, _t));
        fixed (float* theta = parameters, g = gradients, m = _m, v = _v)
        {
            var job = _job ??= new UpdateJob();
            (job.Theta, job.G, job.M, job.V, job.Length) = ((nint)theta, (nint)g, (nint)m, (nint)v, parameters.Length);
            (job.Beta1, job.Beta2, job.StepSize, job.InvSqrtBias2, job.Epsilon) = (_beta1, _beta2, stepSize, invSqrtBias2, _epsilon);
            // Element-wise, so any split gives the same θ; below ~16k parameters a second thread costs more than it saves.
            job.Parts = Math.Clamp(parameters.Length / 16384, 1, Math.Min(_threads, Numerics.WorkerPool.Shared.Concurrency));
            Numerics.WorkerPool.Shared.Run(job, job.Parts);
        }
    }

    /// <summary>One step's operands as pointers, so the pool's threads can each update a slice; reused every step.</summary>
    private sealed unsafe class UpdateJob : Numerics.IPartitionedWork
    {
        public nint Theta, G, M, V;
        public int Length, Parts;
        public float Beta1, Beta2, StepSize, InvSqrtBias2, Epsilon;

        public void Execute(int part)
        {
            // Slices start on 64-float boundaries, so two threads never write to the same cache line.
            int start = (int)((long)Length * part / Parts) & ~63, end = part == Parts - 1 ? Length : (int)((long)Length * (part + 1) / Parts) & ~63;
            Update(new Span<float>((float*)Theta + start, end - start), new ReadOnlySpan<float>((float*)G + start, end - start),
                new Span<float>((float*)M + start, end - start), new Span<float>((float*)V + start, end - start), Beta1, Beta2, StepSize, InvSqrtBias2, Epsilon);
        }
    }

    private static void Update(Span<float> theta, ReadOnlySpan<float> g, Span<float> m, Span<float> v,
        float beta1, float beta2, float stepSize, float invSqrtBias2, float epsilon)
    {
        int i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            // The update is bound by memory traffic over four arrays of θ's size: a whole cache line per load and store halves
            // the instructions per byte of the 256-bit Vector<T> loop below (the same operations in the same order, so the same θ).
            var b1 = Vector512.Create(beta1);
            var b2 = Vector512.Create(beta2);
            var c1 = Vector512.Create(1f - beta1);
            var c2 = Vector512.Create(1f - beta2);
            var step = Vector512.Create(stepSize);
            var scale = Vector512.Create(invSqrtBias2);
            var eps = Vector512.Create(epsilon);
            ref float rt = ref MemoryMarshal.GetReference(theta), rm = ref MemoryMarshal.GetReference(m), rv = ref MemoryMarshal.GetReference(v);
            ref float rg = ref MemoryMarshal.GetReference(g);
            for (; i <= theta.Length - Vector512<float>.Count; i += Vector512<float>.Count)
            {
                nuint at = (nuint)i;
                var gi = Vector512.LoadUnsafe(ref rg, at);
                var mi = b1 * Vector512.LoadUnsafe(ref rm, at) + c1 * gi;
                var vi = b2 * Vector512.LoadUnsafe(ref rv, at) + c2 * gi * gi;
                mi.StoreUnsafe(ref rm, at);
                vi.StoreUnsafe(ref rv, at);
                (Vector512.LoadUnsafe(ref rt, at) - step * mi / (Vector512.Sqrt(vi) * scale + eps)).StoreUnsafe(ref rt, at);
            }
        }
        if (Vector.IsHardwareAccelerated)
        {
            var b1 = new Vector<float>(beta1);
            var b2 = new Vector<float>(beta2);
            var c1 = new Vector<float>(1f - beta1);
            var c2 = new Vector<float>(1f - beta2);
            var step = new Vector<float>(stepSize);
            var scale = new Vector<float>(invSqrtBias2);
            var eps = new Vector<float>(epsilon);
            for (; i <= theta.Length - Vector<float>.Count; i += Vector<float>.Count)
            {
                var gi = new Vector<float>(g.Slice(i));
                var mi = b1 * new Vector<float>(m.Slice(i)) + c1 * gi;
                var vi = b2 * new Vector<float>(v.Slice(i)) + c2 * gi * gi;
                mi.CopyTo(m.Slice(i));
                vi.CopyTo(v.Slice(i));
                (new Vector<float>(theta.Slice(i)) - step * mi / (Vector.SquareRoot(vi) * scale + eps)).CopyTo(theta.Slice(i));
            }
        }
        for (; i < theta.Length; i++)
        {
            m[i] = beta1 * m[i] + (1f - beta1) * g[i];
            v[i] = beta2 * v[i] + (1f - beta2) * g[i] * g[i];
            theta[i] -= stepSize * m[i] / (MathF.Sqrt(v[i]) * invSqrtBias2 + epsilon);
        }
    }
}
