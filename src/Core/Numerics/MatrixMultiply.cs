using System.Diagnostics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace MLNetNN.Numerics;

/// <summary>
/// Row-major single-precision matrix multiply, the one place in the engine with loops over matrix indices.
/// Computes <c>C = op(A) · op(B)</c> or <c>C += op(A) · op(B)</c>, where <c>op(A)</c> is m×k and <c>op(B)</c> is k×n.
/// </summary>
/// <remarks>
/// The three layouts are the three products backpropagation needs without materialising a transpose:
/// forward <c>Z = X·W</c> (<see cref="Transpose.None"/>), weight gradient <c>dW = Xᵀ·G</c> (<see cref="Transpose.A"/>)
/// and input gradient <c>dX = G·Wᵀ</c> (<see cref="Transpose.B"/>).
/// <para>
/// On x64 the product is blocked the way BLAS libraries do it: op(B) is packed into zero-padded strips of <c>NR</c> columns
/// and <c>KC</c> depth (or, for a short product, read where it lies), and an FMA micro-kernel keeps an <c>MR×NR</c> block of C
/// in registers. With AVX-512 the tile is 6×32 (12 of the 32 vector registers) and op(A) is streamed straight from its storage
/// (both layouts of A can be read in place, and the rows of A may be scattered, as a shuffled mini-batch's are in its data set;
/// only the last partial row panel is packed). With AVX2 the tile is 6×16 (12 of 16 registers) and each six-row panel of op(A)
/// is packed too, so the kernel needs two address registers instead of eight and runs four steps of p per loop pass.
/// Elsewhere the rows are computed with <see cref="TensorPrimitives"/>.
/// </para>
/// <para>
/// The code is split by kernel family: this file holds the entry points, the checks, the blocking constants and the
/// dispatch (<c>Job.Plan</c>, <c>Job.Execute</c>); <c>MatrixMultiply.Blocked.cs</c> the blocked loops of the AVX-512 path and the
/// entry shared by both SIMD paths; <c>MatrixMultiply.Avx512.cs</c> the AVX-512 micro-kernels and edge columns;
/// <c>MatrixMultiply.Avx2.cs</c> the AVX2 blocked loop and micro-kernels; <c>MatrixMultiply.Packing.cs</c> the packing and
/// copying helpers; <c>MatrixMultiply.SingleRows.cs</c> the one- and two-row product; <c>MatrixMultiply.ZeroSteps.cs</c> the AVX2
/// path for long products of rows with many zeros (panels in sorted order, steps at which a panel is all zero skipped);
/// <c>MatrixMultiply.Portable.cs</c> the portable path.
/// </para>
/// <para>
/// Determinism: work is split over tiles of C only, and every element of C is summed over k in the same order (the same
/// <c>KC</c> blocks, one FMA chain per block) whichever thread computes its tile, so results are bit-identical for any thread count.
/// The one exception to the chain order, the 1–4 columns past the last full AVX-512 strip when op(A) rows are contiguous, are dot
/// products summed in sixteen lanes and then across; every path forms them alike, so a row alone gets the bits it gets in a batch.
/// </para>
/// </remarks>
public static partial class MatrixMultiply
{
    /// <summary>Which operand is stored transposed.</summary>
    public enum Transpose
    {
        /// <summary>A is m×k, B is k×n.</summary>
        None,
        /// <summary>A is stored k×m (so C = Aᵀ·B), B is k×n.</summary>
        A,
        /// <summary>A is m×k, B is stored n×k (so C = A·Bᵀ).</summary>
        B,
    }

    /// <summary>
    /// <c>C[i,j] = (accumulate ? C[i,j] : 0) + Σ_p op(A)[i,p] · op(B)[p,j]</c>.
    /// </summary>
    /// <param name="a">Left operand, m×k (or k×m for <see cref="Transpose.A"/>).</param>
    /// <param name="b">Right operand, k×n (or n×k for <see cref="Transpose.B"/>).</param>
    /// <param name="c">Result, m×n.</param>
    /// <param name="m">Rows of the result.</param>
    /// <param name="n">Columns of the result.</param>
    /// <param name="k">Length of the shared dimension.</param>
    /// <param name="transpose">Which operand is stored transposed.</param>
    /// <param name="accumulate">Add to C instead of overwriting it.</param>
    /// <param name="threads">Upper bound on worker threads; 1 runs on the calling thread.</param>
    public static void Multiply(ReadOnlyMemory<float> a, ReadOnlyMemory<float> b, Memory<float> c, int m, int n, int k, Transpose transpose, bool accumulate = false, int threads = 1) =>
        Multiply(a.Span, b.Span, c.Span, m, n, k, transpose, accumulate, threads);

    /// <summary>
    /// <c>C[i,j] = (accumulate ? C[i,j] : bias[j]) + Σ_p op(A)[i,p] · op(B)[p,j]</c>, with <c>bias[j] = 0</c> when
    /// <paramref name="bias"/> is empty: the span form the layers use, with the bias add fused into the product.
    /// </summary>
    /// <remarks>
    /// When <c>aRows</c> is given (only with <see cref="Transpose.None"/>), row i of op(A) is row <c>aRows[i]</c> of A: a mini-batch
    /// multiplied where its rows lie in the data set, instead of gathered into a copy first. With <c>gatherInto</c> (m×k) the
    /// listed rows are also copied there, each while it is in L1 for the product: the batch the weight gradient needs later,
    /// without a second trip to main memory.
    /// </remarks>
    internal static unsafe void Multiply(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, int m, int n, int k, Transpose transpose,
        bool accumulate, int threads, ReadOnlySpan<float> bias = default, ReadOnlySpan<int> aRows = default, Span<float> gatherInto = default)
    {
        if (m < 0 || n < 0 || k < 0) throw new ArgumentOutOfRangeException(nameof(m), "Matrix dimensions must not be negative.");
        if (!aRows.IsEmpty) CheckRowIndices(aRows, m, k, a.Length, transpose);
        else if (a.Length < (long)m * k) throw new ArgumentException($"A holds {a.Length} values; needs {(long)m * k}.", nameof(a));
        if (!gatherInto.IsEmpty && (aRows.IsEmpty || gatherInto.Length < (long)m * k))
            throw new ArgumentException($"Gathering copies listed rows of A into m×k = {(long)m * k} values; got {gatherInto.Length}{(aRows.IsEmpty ? " and no row list" : "")}.", nameof(gatherInto));
        if (b.Length < (long)k * n) throw new ArgumentException($"B holds {b.Length} values; needs {(long)k * n}.", nameof(b));
        if (c.Length < (long)m * n) throw new ArgumentException($"C holds {c.Length} values; needs {(long)m * n}.", nameof(c));
        if (!bias.IsEmpty && (bias.Length < n || accumulate)) throw new ArgumentException($"A bias needs {n} values and an overwritten C.", nameof(bias));
        if (m == 0 || n == 0) return;

        fixed (float* pa = a, pb = b, pc = c, pbias = bias, pgather = gatherInto)
        fixed (int* prows = aRows)
        {
            var job = t_job ??= new Job();
            job.Set(pa, prows, pgather, pb, pc, pbias, m, n, k, transpose, accumulate);
            int parts = job.Plan(Math.Max(1, threads));
            WorkerPool.Shared.Run(job, parts);
            job.Clear();
        }
    }

    private static void CheckRowIndices(ReadOnlySpan<int> rows, int m, int k, int length, Transpose transpose)
    {
        if (transpose != Transpose.None) throw new ArgumentException("Row indices select rows of an A stored m×k.", nameof(rows));
        if (rows.Length < m) throw new ArgumentException($"{rows.Length} row indices for {m} rows.", nameof(rows));
        int stored = k == 0 ? int.MaxValue : length / k;
        for (int i = 0; i < m; i++)
            if ((uint)rows[i] >= (uint)stored) throw new ArgumentOutOfRangeException(nameof(rows), rows[i], $"Row index {i} is {rows[i]}; A holds {stored} rows.");
    }

    /// <summary>Below this many multiply-adds per part, waking another core costs more than it saves.</summary>
    private const long MinimumWorkPerPart = 1 << 17;

    /// <summary>Rows of C per micro-tile.</summary>
    private const int MR = 6;

    /// <summary>Floats per SIMD register: 16 with AVX-512, 8 with AVX2 + FMA, 0 where neither is available.</summary>
    private static readonly int V = Vector512.IsHardwareAccelerated && Avx512F.IsSupported ? 16 : Fma.IsSupported && Avx2.IsSupported ? 8 : 0;

    /// <summary>The kernels in use: <c>"AVX-512"</c>, <c>"AVX2"</c> or <c>"portable"</c>.</summary>
    internal static string Kernels => V switch { 16 => "AVX-512", 8 => "AVX2", _ => "portable" };

    /// <summary>Columns of C per full micro-tile (two registers); a last, narrower strip uses one (<see cref="StripWidth"/>).</summary>
    private static readonly int NR = 2 * V;

    /// <summary>
    /// Width of a strip holding the last <paramref name="cols"/> (≤ <see cref="NR"/>) columns: two registers, one, or with AVX-512
    /// one 8-float AVX2 register for at most 8 columns. Padding is computed and thrown away, so n = 100 (3 × 32 + 4) would
    /// waste 12 of 112 columns in 16-wide registers and wastes 4 in 8-wide ones; an 8-wide FMA costs half a 16-wide one on
    /// processors that split 512-bit operations in two.
    /// </summary>
    private static int StripWidth(int cols) => cols > V ? NR : V == 16 && cols <= 8 ? 8 : V;

    /// <summary>
    /// Most columns past the last full strip that are computed apart from the tiles: with AVX-512 as dot products
    /// (<see cref="EdgeColumns"/>), with AVX2 by a kernel whose registers hold rows instead of columns (<see cref="Columns12"/>).
    /// </summary>
    private const int EdgeWidth = 4;

    /// <summary>
    /// How many of the last columns are computed apart from the register tiles: with AVX-512, the 1–4 columns past the last full
    /// 32-column strip (n = 100: 96..99). In a tile they would take a whole register's FMAs, six latency-bound chains, for a
    /// quarter of its lanes: 600 products of 100×784×100 took 94 ms against 83 ms for n = 96, and 88–90 ms with the edge apart.
    /// Below 16 steps of p (a 10-unit layer's input gradient) the edge's dot products would have no full register, so the tile
    /// keeps them. The rule depends on n and k alone, so a row gets the same sums alone as in any batch.
    /// </summary>
    private static int EdgeColumns(int n, int k) => V == 16 && k >= 16 && n % NR is > 0 and <= EdgeWidth ? n % NR : 0;

    /// <summary>
    /// Largest depth block. A packed strip (KC × NR floats, 100 KB with AVX-512) lives in L2, not L1: two loads of B per twelve
    /// FMAs leave L2 time to keep up, while one block for k = 784 instead of four means one pass over C instead of four and
    /// runs along the rows of A long enough for the hardware prefetcher (measured on the AMD EPYC here: 784×100 forward
    /// products 4 % faster, 2048² 19 % faster than with 224, which kept the strip in L1).
    /// </summary>
    private const int MaxKC = 784;

    /// <summary>The depth block for <paramref name="k"/>: k split into the fewest blocks of at most <see cref="MaxKC"/>, as even as they go.</summary>
    private static int DepthBlock(int k)
    {
        int blocks = (k + MaxKC - 1) / MaxKC;
        return (k + blocks - 1) / blocks;
    }

    /// <summary>Largest B (in floats, 1 MB) read in place rather than packed.</summary>
    private const long MaxInPlaceB = 1 << 18;

    /// <summary>
    /// Most rows of C for which B is read in place. A longer product repays packing B (aligned rows, a strip in as few cache
    /// lines as it needs, leaving L1 to A): measured 8–10 % faster for 512 prediction rows × 784 × 100, but 5 % slower for a
    /// 100-row batch already in cache. Rows of A listed from a data set come from main memory, and there packing B measured
    /// 5 % faster even for 100 rows, so B is then always packed.
    /// </summary>
    private const int MaxInPlaceRows = 288;

    /// <summary>Largest column block per packing, which bounds the packing buffer (KC × NC floats, 800 KB) whatever n is.</summary>
    private const int MaxNC = 256;

    [ThreadStatic] private static Job? t_job;
    [ThreadStatic] private static float[]? t_packed;
    [ThreadStatic] private static float[]? t_edge;

    /// <summary>One call's operands, shared by the threads computing its parts; reused per calling thread, so a call allocates nothing.</summary>
    private sealed unsafe partial class Job : IPartitionedWork
    {
        private float* _a, _b, _c, _bias;
        private int* _aRows;
        private float* _gatherInto;
        private int _m, _n, _k;
        private Transpose _transpose;
        private bool _accumulate, _splitRows;
        private int _parts, _panels, _strips;
        private int _mainCols;

        public void Set(float* a, int* aRows, float* gatherInto, float* b, float* c, float* bias, int m, int n, int k, Transpose transpose, bool accumulate)
        {
            _a = a;
            _aRows = aRows;
            _gatherInto = gatherInto;
            _b = b;
            _c = c;
            _bias = bias;
            (_m, _n, _k, _transpose, _accumulate) = (m, n, k, transpose, accumulate);
            _mainCols = n - EdgeColumns(n, k);
        }

        public void Clear()
        {
            _a = _b = _c = _bias = _gatherInto = null;
            _aRows = null;
        }

        /// <summary>Where row <paramref name="i"/> of an A stored m×k starts: in order, or as <c>aRows</c> lists them.</summary>
        private float* RowOfA(int i) => _a + (long)(_aRows is null ? i : _aRows[i]) * _k;

        /// <summary>Chooses how many parts to split into, and whether by row panels or by column strips.</summary>
        public int Plan(int threads)
        {
            int width = V == 0 ? 1 : NR;
            _panels = V == 0 ? _m : (_m + MR - 1) / MR;
            _strips = (_n + width - 1) / width;
            long work = (long)_m * _n * Math.Max(_k, 1);
            int useful = (int)Math.Clamp(work / MinimumWorkPerPart, 1, Math.Min(threads, WorkerPool.Shared.Concurrency));
            // Split the dimension with more tiles; but when B is too large to read in place, split columns if they go round, so
            // no two threads pack the same part of it. A small B is cheaper to pack on each thread than to split C by columns,
            // which would have both cores write parts of every row of C (a 784×100 weight gradient: the same cache lines, and
            // rows the optimiser then reads from both cores).
            bool largeB = V != 0 && (_transpose == Transpose.B || (long)_k * _n > MaxInPlaceB);
            _splitRows = !(largeB && _strips >= 2 * useful) && _panels >= _strips;
            // One part per thread: the caller claims the first, so each thread tends to keep the same part of the output (and of the
            // operands) in its own cache from call to call; moving data between cores costs more here than the finer balance saves.
            _parts = Math.Min(useful, _splitRows ? _panels : _strips);
            return _parts;
        }

        public void Execute(int part)
        {
            int tiles = _splitRows ? _panels : _strips;
            int first = (int)((long)tiles * part / _parts), last = (int)((long)tiles * (part + 1) / _parts);
            if (V == 0)
            {
                // Without FMA registers the portable path computes whole rows; _panels counted rows then.
                int rows0 = _splitRows ? first : 0, rows1 = _splitRows ? last : _m;
                int cols0 = _splitRows ? 0 : first, cols1 = _splitRows ? _n : last;
                PortableRows(rows0, rows1, cols0, cols1);
                return;
            }
            int i0 = _splitRows ? first * MR : 0, i1 = _splitRows ? Math.Min(_m, last * MR) : _m;
            int j0 = _splitRows ? 0 : first * NR, j1 = _splitRows ? _n : Math.Min(_n, last * NR);
            Blocked(i0, i1, j0, j1);
        }
    }

    private static int RoundUp(int value, int multiple) => (value + multiple - 1) / multiple * multiple;

    /// <summary>
    /// Floats in a packing buffer: the largest packed B block and two packed row panels (the AVX2 path packs them in pairs), the
    /// few floats past the panels that the AVX2 panel transposes write (<see cref="PanelOverrun"/>), plus room to align.
    /// </summary>
    private const int PackFloats = MaxKC * MaxNC + 2 * MR * MaxKC + PanelOverrun + 16;

    /// <summary>
    /// This thread's packing buffer, 64-byte aligned and pinned so pointers into it stay valid. It is made at its largest
    /// size (0.8 MB) on a thread's first product, so no later product allocates whatever its shape.
    /// </summary>
    private static unsafe float* PackBuffer(int floats)
    {
        Debug.Assert(floats <= PackFloats - 16, $"{floats} floats asked of a packing buffer of {PackFloats - 16}");
        var buffer = t_packed ??= GC.AllocateUninitializedArray<float>(PackFloats, pinned: true);
        float* p = (float*)Unsafe.AsPointer(ref buffer[0]);
        return (float*)(((nint)p + 63) & ~(nint)63);
    }

    /// <summary>This thread's buffer for the edge columns of B, pinned; it grows with k, so a warm product allocates nothing.</summary>
    private static unsafe float* EdgeBuffer(int floats)
    {
        var buffer = t_edge;
        if (buffer is null || buffer.Length < floats) t_edge = buffer = GC.AllocateUninitializedArray<float>(Math.Max(floats, EdgeWidth * MaxKC), pinned: true);
        return (float*)Unsafe.AsPointer(ref buffer[0]);
    }

}
