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
/// in registers while it streams op(A) straight from its storage (both layouts of A can be read in place, and the rows of A
/// may be scattered, as a shuffled mini-batch's are in its data set; only the last partial row panel is packed).
/// With AVX-512 the tile is 6×32 (12 of the 32 vector registers), with AVX2 6×16; elsewhere the rows are computed with
/// <see cref="TensorPrimitives"/>.
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

    /// <summary>Most columns past the last full strip that are computed apart from the tiles (<see cref="EdgeColumns"/>).</summary>
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

        /// <summary>C[i0..i1, j0..j1] by packed strips and register tiles.</summary>
        private void Blocked(int i0, int i1, int j0, int j1)
        {
            float* a = _a, b = _b, c = _c;
            int m = _m, n = _n, k = _k;
            bool transA = _transpose == Transpose.A, bInPlace = ReadsBInPlace;
            // Columns past _mainCols are the edge, computed apart (EdgeDots, EdgeOfTransposedA); a part may hold only edge columns.
            int jEnd = Math.Min(j1, _mainCols);
            bool edge = j1 > _mainCols;
            float** edgeColumns = stackalloc float*[EdgeWidth];
            if (edge && !transA && k > 0) EdgeColumnsOfB(edgeColumns);
            if (k == 0 || m <= 2 && _transpose == Transpose.None)
            {
                if (!_accumulate) InitializeC(i0, i1, j0, j1);
                if (k == 0) return;
                // One or two rows (a single prediction): no tile would fill, so stream each row of B once instead of packing it.
                // Each element is still one FMA chain over p from the same start, and the edge the same dot products, so the sums
                // equal the tiled path's.
                for (int i = i0; i < i1; i++) RowTimesMatrix(RowOfA(i), b + j0, c + (long)i * n + j0, Math.Max(0, jEnd - j0), n, k);
                if (edge) EdgeDots(i0, i1 - i0, edgeColumns);
                if (j0 == 0) GatherRows(i0, i1 - i0, 0, k);
                return;
            }
            if (V == 8)
            {
                PackedBlocked(i0, i1, j0, j1);
                return;
            }

            // Same KC for every thread count: the blocks decide the summation order.
            int blocks = (k + MaxKC - 1) / MaxKC;
            int kcMax = (k + blocks - 1) / blocks;
            int ncMax = Math.Min(MaxNC, RoundUp(Math.Max(0, jEnd - j0), NR));
            float* packedB = PackBuffer(kcMax * ncMax + MR * kcMax);
            float* edgeA = packedB + kcMax * ncMax;
            float* tile = stackalloc float[MR * NR];
            // Rows of A that come from main memory (listed from a data set, or a long product) are asked for a panel ahead.
            bool prefetchA = !transA && (_aRows is not null || m > MaxInPlaceRows);
            float** nextRows = stackalloc float*[MR], copyRows = stackalloc float*[MR];
            float* tileBias = stackalloc float[NR];
            nint depthStrideA = transA ? m : 1;
            // Where rows 1..5 of a panel of A lie relative to row 0: evenly spaced in A or in the packed edge panel, or wherever
            // aRows puts them (filled per panel).
            nint* evenOffsets = stackalloc nint[MR - 1], edgeOffsets = stackalloc nint[MR - 1], listedOffsets = stackalloc nint[MR - 1];
            for (int r = 1; r < MR; r++) (evenOffsets[r - 1], edgeOffsets[r - 1]) = (r * (transA ? 1 : (nint)k), r);
            int fullPanelsEnd = i0 + (i1 - i0) / MR * MR;

            for (int pc = 0; pc < k; pc += kcMax)
            {
                int kc = Math.Min(kcMax, k - pc);
                // The first depth block of an overwritten C starts its accumulators from the bias (or zero) instead of loading C:
                // the same sums as initialising C first, without a pass over C (313 KB for a 784×100 weight gradient).
                bool loadC = _accumulate || pc > 0;
                if (fullPanelsEnd < i1 && jEnd > j0) PackEdgeA(edgeA, fullPanelsEnd, i1 - fullPanelsEnd, pc, kc);
                // At least one pass over the panels, for the edge and the gather, even when this part has no full strip.
                for (int jc = j0; jc < Math.Max(jEnd, j0 + 1); jc += MaxNC)
                {
                    int nc = Math.Clamp(jEnd - jc, 0, MaxNC);
                    PackB(packedB, jc, nc, pc, kc);
                    for (int i = i0; i < i1; i += MR)
                    {
                        int rows = Math.Min(MR, i1 - i);
                        float* ap = rows < MR ? edgeA : transA ? a + (long)pc * m + i : RowOfA(i) + pc;
                        nint* offsets = rows < MR ? edgeOffsets : _aRows is null ? evenOffsets : ListedOffsets(listedOffsets, i);
                        nint ds = rows == MR ? depthStrideA : MR;
                        float** next = null;
                        bool gathered = false;
                        if (prefetchA && i + 2 * MR <= i1)
                        {
                            for (int r = 0; r < MR; r++) nextRows[r] = RowOfA(i + MR + r) + pc;
                            next = nextRows;
                        }
                        // Every strip of B passes over one panel of A before the next panel is read, so the panel is fetched from
                        // memory once and then served from L1, and a panel's rows arrive at a quarter of the rate (for n = 100)
                        // that the first strip alone would ask for them.
                        float* strip = packedB;
                        for (int j = jc; j < jc + nc; j += NR)
                        {
                            int cols = Math.Min(NR, jc + nc - j);
                            int width = StripWidth(cols);
                            // A full strip of a k×n B that fits in L2 is read where it lies (row p of the strip is contiguous); others were packed.
                            bool inPlace = bInPlace && cols == width;
                            float* bp = inPlace ? b + (long)pc * n + j : strip;
                            nint ldb = inPlace ? n : width;
                            strip += kc * width;
                            float* ct = c + (long)i * n + j;
                            float* bias = loadC || _bias is null ? null : _bias + j;
                            if (rows == MR && cols == width)
                            {
                                // The first strip asks for the next panel; the others find it on its way. The first strip of all also
                                // copies listed rows to the gather target as it reads them.
                                float** copy = null;
                                if (j == 0 && width == NR && _gatherInto is not null)
                                {
                                    for (int r = 0; r < MR; r++) copyRows[r] = _gatherInto + (long)(i + r) * k + pc;
                                    copy = copyRows;
                                    gathered = true;
                                }
                                Kernel(width, kc, ap, offsets, ds, bp, ldb, ct, n, loadC, bias, j == jc ? next : null, copy);
                                continue;
                            }
                            // A partial tile runs the same kernel on a copy, so its sums are formed exactly like a full tile's. What
                            // the copy holds outside the tile's rows and columns is never copied back, so it needs no clearing.
                            if (loadC) CopyBlock(ct, n, tile, width, rows, cols);
                            else if (bias is not null)
                            {
                                // The kernel reads a whole register of bias; past the last column it must read padding, not beyond b.
                                CopyBlock(bias, 0, tileBias, 0, 1, cols);
                                bias = tileBias;
                            }
                            Kernel(width, kc, ap, offsets, ds, bp, ldb, tile, width, loadC, bias);
                            CopyBlock(tile, width, ct, n, rows, cols);
                        }
                        // The edge's dot products run over all of k while the panel's rows are in L1.
                        if (edge && !transA && pc == 0 && jc + MaxNC >= jEnd) EdgeDots(i, rows, edgeColumns);
                        // Otherwise the part holding the first columns copies the panel's listed rows while they are in L1.
                        if (jc == 0 && !gathered) GatherRows(i, rows, pc, kc);
                    }
                }
            }
            if (edge && transA) EdgeOfTransposedA(i0, i1);
        }

        /// <summary>
        /// Points <paramref name="columns"/> at the edge columns of op(B), each contiguous over p: rows of a B stored n×k as they
        /// lie, otherwise copied into this thread's edge buffer. Columns past n repeat the first edge column.
        /// </summary>
        private void EdgeColumnsOfB(float** columns)
        {
            int cols = _n - _mainCols, k = _k;
            float* copy = _transpose == Transpose.B ? null : EdgeBuffer(cols * k);
            for (int j = 0; j < EdgeWidth; j++)
            {
                int jj = j < cols ? j : 0;
                columns[j] = copy is null ? _b + (long)(_mainCols + jj) * k : copy + (long)jj * k;
            }
            if (copy is null) return;
            float* src = _b + _mainCols;
            int p = 0;
            if (cols == EdgeWidth)
            {
                // Four steps of p by four columns at a time, transposed through SSE registers instead of sixteen scalar copies.
                for (; p + 4 <= k; p += 4, src += 4 * _n)
                {
                    Vector128<float> r0 = Sse.LoadVector128(src), r1 = Sse.LoadVector128(src + _n);
                    Vector128<float> r2 = Sse.LoadVector128(src + 2 * _n), r3 = Sse.LoadVector128(src + 3 * _n);
                    Vector128<float> t0 = Sse.UnpackLow(r0, r1), t1 = Sse.UnpackHigh(r0, r1), t2 = Sse.UnpackLow(r2, r3), t3 = Sse.UnpackHigh(r2, r3);
                    Sse.Store(copy + p, Sse.MoveLowToHigh(t0, t2));
                    Sse.Store(copy + k + p, Sse.MoveHighToLow(t2, t0));
                    Sse.Store(copy + 2 * k + p, Sse.MoveLowToHigh(t1, t3));
                    Sse.Store(copy + 3 * k + p, Sse.MoveHighToLow(t3, t1));
                }
            }
            for (; p < k; p++, src += _n)
                for (int j = 0; j < cols; j++) copy[(long)j * k + p] = src[j];
        }

        /// <summary>
        /// The edge columns of rows <paramref name="i"/>..+<paramref name="rows"/>: <c>C[r, j] = (accumulate ? C : bias or 0) + dot</c>,
        /// with each dot product summed as <see cref="Dots3x4"/> does, whichever path (tiles or single rows) and thread asks.
        /// </summary>
        private void EdgeDots(int i, int rows, float** columns)
        {
            int cols = _n - _mainCols;
            float* sums = stackalloc float[3 * EdgeWidth];
            for (int r = 0; r < rows; r += 3)
            {
                // A short group repeats its first row; those sums are not stored.
                float* a0 = RowOfA(i + r);
                Dots3x4(a0, r + 1 < rows ? RowOfA(i + r + 1) : a0, r + 2 < rows ? RowOfA(i + r + 2) : a0, columns, _k, sums);
                for (int rr = r; rr < Math.Min(rows, r + 3); rr++)
                {
                    float* ci = _c + (long)(i + rr) * _n + _mainCols;
                    for (int j = 0; j < cols; j++)
                        ci[j] = (_accumulate ? ci[j] : _bias is null ? 0f : _bias[_mainCols + j]) + sums[(rr - r) * EdgeWidth + j];
                }
            }
        }

        /// <summary>
        /// The edge columns of rows <paramref name="i0"/>..<paramref name="i1"/> when A is stored k×m: column i of op(A) runs
        /// along row p of the stored A, so sixteen rows of C share a register, each element one FMA chain over p from
        /// <c>(accumulate ? C : bias or 0)</c> as in the tiles. Rows past the last sixteen go a value at a time, in the same order.
        /// </summary>
        private void EdgeOfTransposedA(int i0, int i1)
        {
            int cols = _n - _mainCols, m = _m, n = _n, k = _k;
            // B's edge columns side by side, EdgeWidth per step of p, zero-padded: one broadcast per column and step.
            float* bq = EdgeBuffer(EdgeWidth * k);
            new Span<float>(bq, EdgeWidth * k).Clear();
            for (int p = 0; p < k; p++)
                for (int j = 0; j < cols; j++) bq[p * EdgeWidth + j] = _b[(long)p * n + _mainCols + j];
            float* start = stackalloc float[EdgeWidth];
            for (int j = 0; j < EdgeWidth; j++) start[j] = j >= cols || _bias is null ? 0f : _bias[_mainCols + j];
            float* block = stackalloc float[EdgeWidth * 32];
            int i = i0;
            while (i + 16 <= i1)
            {
                // Thirty-two rows, or a last sixteen computed twice (the copy is not stored).
                int rows = i + 32 <= i1 ? 32 : 16;
                for (int j = 0; j < EdgeWidth; j++)
                {
                    var first = Vector512.Create(start[j]);
                    Avx512F.Store(block + j * 16, first);
                    Avx512F.Store(block + 64 + j * 16, first);
                }
                if (_accumulate)
                    for (int r = 0; r < rows; r++)
                        for (int j = 0; j < cols; j++) block[r / 16 * 64 + j * 16 + r % 16] = _c[(long)(i + r) * n + _mainCols + j];
                ColumnsTimesRows32x4(_a + i, rows == 32 ? _a + i + 16 : _a + i, m, bq, k, block);
                float* c0 = _c + (long)i * n + _mainCols;
                if (cols == EdgeWidth)
                {
                    StoreRowsOf16x4(block, c0, n);
                    if (rows == 32) StoreRowsOf16x4(block + 64, c0 + 16L * n, n);
                }
                else
                    for (int r = 0; r < rows; r++)
                        for (int j = 0; j < cols; j++) c0[(long)r * n + j] = block[r / 16 * 64 + j * 16 + r % 16];
                i += rows;
            }
            for (; i < i1; i++)
                for (int j = 0; j < cols; j++)
                {
                    float* ci = _c + (long)i * n + _mainCols + j;
                    float sum = _accumulate ? *ci : start[j];
                    for (int p = 0; p < k; p++) sum = MathF.FusedMultiplyAdd(_a[(long)p * m + i], bq[p * EdgeWidth + j], sum);
                    *ci = sum;
                }
        }

        private void InitializeC(int i0, int i1, int j0, int j1)
        {
            for (int i = i0; i < i1; i++)
            {
                var row = new Span<float>(_c + (long)i * _n + j0, j1 - j0);
                if (_bias is null) row.Clear();
                else new ReadOnlySpan<float>(_bias + j0, j1 - j0).CopyTo(row);
            }
        }

        /// <summary>Copies listed rows <paramref name="i"/>..+<paramref name="rows"/>, columns <paramref name="pc"/>..+<paramref name="kc"/>, into the gather target, if there is one.</summary>
        private void GatherRows(int i, int rows, int pc, int kc)
        {
            if (_gatherInto is null) return;
            for (int r = i; r < i + rows; r++)
                new ReadOnlySpan<float>(RowOfA(r) + pc, kc).CopyTo(new Span<float>(_gatherInto + (long)r * _k + pc, kc));
        }

        /// <summary>Fills <paramref name="offsets"/> with where listed rows i+1..i+5 of A lie relative to row i.</summary>
        private nint* ListedOffsets(nint* offsets, int i)
        {
            for (int r = 1; r < MR; r++) offsets[r - 1] = (nint)(((long)_aRows[i + r] - _aRows[i]) * _k);
            return offsets;
        }

        /// <summary>Packs op(A)[i..i+rows, pc..pc+kc] as <c>edge[p·MR + r]</c>, zero-padding the missing rows.</summary>
        private void PackEdgeA(float* edge, int i, int rows, int pc, int kc)
        {
            new Span<float>(edge, MR * kc).Clear();
            for (int r = 0; r < rows; r++)
            {
                if (_transpose == Transpose.A)
                    for (int p = 0; p < kc; p++) edge[p * MR + r] = _a[(long)(pc + p) * _m + i + r];
                else
                {
                    float* row = RowOfA(i + r) + pc;
                    for (int p = 0; p < kc; p++) edge[p * MR + r] = row[p];
                }
            }
        }

        /// <summary>
        /// Whether full strips of B are read where they lie: B must be stored k×n and small enough to stay in L2; a larger B is
        /// packed, because a row stride of a large power of two would map a whole strip onto a few cache sets and TLB entries.
        /// </summary>
        private bool ReadsBInPlace => V == 16 && _transpose != Transpose.B && (long)_k * _n <= MaxInPlaceB && _m <= MaxInPlaceRows && _aRows is null;

        /// <summary>
        /// Packs op(B)[pc..pc+kc, jc..jc+nc] into consecutive strips, each <c>kc × width</c> with row p of the strip contiguous,
        /// zero-padded to the strip width (<see cref="StripWidth"/>). Full strips the kernel reads in place
        /// (<see cref="ReadsBInPlace"/>) are left out, their slots unused, which saves each thread a copy of B.
        /// </summary>
        private void PackB(float* dst, int jc, int nc, int pc, int kc)
        {
            for (int j = jc; j < jc + nc; j += NR)
            {
                int cols = Math.Min(NR, jc + nc - j);
                int width = StripWidth(cols);
                if (_transpose == Transpose.B)
                {
                    // B stored n×k: column j of op(B) is row j of B, contiguous in p. Eight rows by eight depths at a time go
                    // through registers (a copy a value with strided stores held dX = G·Wᵀ at 86 GFLOP/s against 110 for the
                    // other layouts); the edges are copied a value at a time.
                    if (cols < width) new Span<float>(dst, kc * width).Clear();
                    int fullRows = cols & ~7, fullDepth = kc & ~7;
                    for (int jj = 0; jj < fullRows; jj += 8)
                        for (int p = 0; p < fullDepth; p += 8)
                            Transpose8x8(_b + (long)(j + jj) * _k + pc + p, _k, dst + p * width + jj, width);
                    for (int jj = 0; jj < cols; jj++)
                    {
                        float* src = _b + (long)(j + jj) * _k + pc;
                        for (int p = jj < fullRows ? fullDepth : 0; p < kc; p++) dst[p * width + jj] = src[p];
                    }
                }
                else if (cols < width || !ReadsBInPlace)
                {
                    // Register-wide copies: with a copy call per row of each strip, packing a 784×100 B made the 100-row forward
                    // product about 11 µs (7 %) slower than reading B in place; these took 4 ms off an epoch of 600 such products.
                    float* src = _b + (long)pc * _n + j;
                    for (int p = 0; p < kc; p++, src += _n)
                    {
                        float* row = dst + p * width;
                        if (cols == width)
                        {
                            for (int q = 0; q < width; q += 8) Vector256.Store(Vector256.Load(src + q), row + q);
                            continue;
                        }
                        int jj = 0;
                        for (; jj < cols; jj++) row[jj] = src[jj];
                        for (; jj < width; jj++) row[jj] = 0f;
                    }
                }
                dst += kc * width;
            }
        }

        /// <summary>The portable path: rows of C as sums of scaled rows of op(B) (or dot products for <see cref="Transpose.B"/>).</summary>
        private void PortableRows(int i0, int i1, int j0, int j1)
        {
            int m = _m, n = _n, k = _k, cols = j1 - j0;
            var b = new ReadOnlySpan<float>(_b, k * n);
            for (int i = i0; i < i1; i++)
            {
                var ci = new Span<float>(_c + (long)i * n + j0, cols);
                if (!_accumulate)
                {
                    if (_bias is null) ci.Clear();
                    else new ReadOnlySpan<float>(_bias + j0, cols).CopyTo(ci);
                }
                switch (_transpose)
                {
                    case Transpose.None:
                        float* ai = RowOfA(i);
                        for (int p = 0; p < k; p++) TensorPrimitives.MultiplyAdd(b.Slice(p * n + j0, cols), ai[p], ci, ci);
                        break;
                    case Transpose.A:
                        for (int p = 0; p < k; p++) TensorPrimitives.MultiplyAdd(b.Slice(p * n + j0, cols), _a[(long)p * m + i], ci, ci);
                        break;
                    default:
                        var row = new ReadOnlySpan<float>(RowOfA(i), k);
                        for (int j = 0; j < cols; j++) ci[j] += TensorPrimitives.Dot(row, b.Slice((j0 + j) * k, k));
                        break;
                }
            }
            if (j0 == 0) GatherRows(i0, i1 - i0, 0, k);
        }
    }

    /// <summary>Asks for the cache line at <c>rows[r] + p</c> of each of six rows.</summary>
    private static unsafe void PrefetchLines(float** rows, int p)
    {
        Sse.Prefetch0(rows[0] + p); Sse.Prefetch0(rows[1] + p); Sse.Prefetch0(rows[2] + p);
        Sse.Prefetch0(rows[3] + p); Sse.Prefetch0(rows[4] + p); Sse.Prefetch0(rows[5] + p);
    }

    /// <summary>
    /// <c>copy[r][p0 + q] = a[o_r + q]</c> for the six rows of a panel (row offsets as the kernels take them) and <c>q &lt; count</c>:
    /// sixteen values a row in two AVX registers, or a value at a time for a last, shorter slice.
    /// </summary>
    private static unsafe void CopyPanelSlice(float* a, nint* offsets, float** copy, int p0, int count)
    {
        for (int r = 0; r < MR; r++)
        {
            float* src = r == 0 ? a : a + offsets[r - 1], dst = copy[r] + p0;
            if (count == 16)
            {
                Avx.Store(dst, Avx.LoadVector256(src));
                Avx.Store(dst + 8, Avx.LoadVector256(src + 8));
            }
            else
                for (int q = 0; q < count; q++) dst[q] = src[q];
        }
    }

    /// <summary><c>dst[u·dstStride + t] = src[t·srcStride + u]</c> for <c>t, u &lt; 8</c>: an 8×8 block transposed in AVX registers.</summary>
    private static unsafe void Transpose8x8(float* src, nint srcStride, float* dst, nint dstStride)
    {
        Vector256<float> r0 = Avx.LoadVector256(src), r1 = Avx.LoadVector256(src + srcStride);
        Vector256<float> r2 = Avx.LoadVector256(src + 2 * srcStride), r3 = Avx.LoadVector256(src + 3 * srcStride);
        Vector256<float> r4 = Avx.LoadVector256(src + 4 * srcStride), r5 = Avx.LoadVector256(src + 5 * srcStride);
        Vector256<float> r6 = Avx.LoadVector256(src + 6 * srcStride), r7 = Avx.LoadVector256(src + 7 * srcStride);
        // Pairs of rows interleaved, then pairs of pairs, then the 128-bit halves exchanged.
        Vector256<float> t0 = Avx.UnpackLow(r0, r1), t1 = Avx.UnpackHigh(r0, r1), t2 = Avx.UnpackLow(r2, r3), t3 = Avx.UnpackHigh(r2, r3);
        Vector256<float> t4 = Avx.UnpackLow(r4, r5), t5 = Avx.UnpackHigh(r4, r5), t6 = Avx.UnpackLow(r6, r7), t7 = Avx.UnpackHigh(r6, r7);
        Vector256<float> u0 = Avx.Shuffle(t0, t2, 0x44), u1 = Avx.Shuffle(t0, t2, 0xEE), u2 = Avx.Shuffle(t1, t3, 0x44), u3 = Avx.Shuffle(t1, t3, 0xEE);
        Vector256<float> u4 = Avx.Shuffle(t4, t6, 0x44), u5 = Avx.Shuffle(t4, t6, 0xEE), u6 = Avx.Shuffle(t5, t7, 0x44), u7 = Avx.Shuffle(t5, t7, 0xEE);
        Avx.Store(dst, Avx.Permute2x128(u0, u4, 0x20));
        Avx.Store(dst + dstStride, Avx.Permute2x128(u1, u5, 0x20));
        Avx.Store(dst + 2 * dstStride, Avx.Permute2x128(u2, u6, 0x20));
        Avx.Store(dst + 3 * dstStride, Avx.Permute2x128(u3, u7, 0x20));
        Avx.Store(dst + 4 * dstStride, Avx.Permute2x128(u0, u4, 0x31));
        Avx.Store(dst + 5 * dstStride, Avx.Permute2x128(u1, u5, 0x31));
        Avx.Store(dst + 6 * dstStride, Avx.Permute2x128(u2, u6, 0x31));
        Avx.Store(dst + 7 * dstStride, Avx.Permute2x128(u3, u7, 0x31));
    }

    /// <summary>
    /// <c>dst[r·dstStride + j] = src[r·srcStride + j]</c> for <c>r &lt; rows</c>, <c>j &lt; cols</c>: the few values of an edge tile,
    /// where a call per row (as <see cref="Span{T}.CopyTo"/> makes) would cost more than the copy. The most frequent edge tile
    /// (4 columns of n = 100 on each of 131 row panels of a 784×100 weight gradient) made such copies several per cent of an epoch.
    /// </summary>
    private static unsafe void CopyBlock(float* src, nint srcStride, float* dst, nint dstStride, int rows, int cols)
    {
        for (int r = 0; r < rows; r++, src += srcStride, dst += dstStride)
            for (int j = 0; j < cols; j++) dst[j] = src[j];
    }

    private static int RoundUp(int value, int multiple) => (value + multiple - 1) / multiple * multiple;

    /// <summary>Floats in a packing buffer: the largest packed B block and one packed row panel, plus room to align.</summary>
    private const int PackFloats = MaxKC * MaxNC + MR * MaxKC + 16;

    /// <summary>
    /// This thread's packing buffer, 64-byte aligned and pinned so pointers into it stay valid. It is made at its largest
    /// size (0.8 MB) on a thread's first product, so no later product allocates whatever its shape.
    /// </summary>
    private static unsafe float* PackBuffer(int floats)
    {
        Debug.Assert(floats <= PackFloats - 16);
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

    /// <summary>
    /// <c>sums[r·4 + j] = Σ_p a_r[p] · columns[j][p]</c> for three rows and four columns: sixteen partial sums per product
    /// (p mod 16), added across the register in a fixed order (<see cref="SumAcross"/>), then the last k mod 16 terms one at a time.
    /// Three rows share each load of a column (measured 0.31 ns per FMA against 0.37 for two).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void Dots3x4(float* a0, float* a1, float* a2, float** columns, int k, float* sums)
    {
        float* b0 = columns[0], b1 = columns[1], b2 = columns[2], b3 = columns[3];
        Vector512<float> x00 = Vector512<float>.Zero, x01 = x00, x02 = x00, x03 = x00, x10 = x00, x11 = x00, x12 = x00, x13 = x00;
        Vector512<float> x20 = x00, x21 = x00, x22 = x00, x23 = x00;
        int p = 0;
        for (; p + 16 <= k; p += 16)
        {
            var u = Avx512F.LoadVector512(a0 + p);
            var v = Avx512F.LoadVector512(a1 + p);
            var w = Avx512F.LoadVector512(a2 + p);
            var b = Avx512F.LoadVector512(b0 + p);
            x00 = Avx512F.FusedMultiplyAdd(u, b, x00); x10 = Avx512F.FusedMultiplyAdd(v, b, x10); x20 = Avx512F.FusedMultiplyAdd(w, b, x20);
            b = Avx512F.LoadVector512(b1 + p);
            x01 = Avx512F.FusedMultiplyAdd(u, b, x01); x11 = Avx512F.FusedMultiplyAdd(v, b, x11); x21 = Avx512F.FusedMultiplyAdd(w, b, x21);
            b = Avx512F.LoadVector512(b2 + p);
            x02 = Avx512F.FusedMultiplyAdd(u, b, x02); x12 = Avx512F.FusedMultiplyAdd(v, b, x12); x22 = Avx512F.FusedMultiplyAdd(w, b, x22);
            b = Avx512F.LoadVector512(b3 + p);
            x03 = Avx512F.FusedMultiplyAdd(u, b, x03); x13 = Avx512F.FusedMultiplyAdd(v, b, x13); x23 = Avx512F.FusedMultiplyAdd(w, b, x23);
        }
        (sums[0], sums[1], sums[2], sums[3]) = (SumAcross(x00), SumAcross(x01), SumAcross(x02), SumAcross(x03));
        (sums[4], sums[5], sums[6], sums[7]) = (SumAcross(x10), SumAcross(x11), SumAcross(x12), SumAcross(x13));
        (sums[8], sums[9], sums[10], sums[11]) = (SumAcross(x20), SumAcross(x21), SumAcross(x22), SumAcross(x23));
        for (; p < k; p++)
            for (int j = 0; j < EdgeWidth; j++)
            {
                float b = columns[j][p];
                sums[j] = MathF.FusedMultiplyAdd(a0[p], b, sums[j]);
                sums[EdgeWidth + j] = MathF.FusedMultiplyAdd(a1[p], b, sums[EdgeWidth + j]);
                sums[2 * EdgeWidth + j] = MathF.FusedMultiplyAdd(a2[p], b, sums[2 * EdgeWidth + j]);
            }
    }

    /// <summary>The sixteen lanes added halves onto halves: an order written out here, so every path that forms an edge sum uses this one.</summary>
    private static float SumAcross(Vector512<float> v)
    {
        Vector256<float> h = Avx.Add(v.GetLower(), v.GetUpper());
        Vector128<float> q = Sse.Add(h.GetLower(), h.GetUpper());
        q = Sse.Add(q, Sse.MoveHighToLow(q, q));
        return Sse.AddScalar(q, Sse.Shuffle(q, q, 1)).ToScalar();
    }

    /// <summary>
    /// <c>block[h·64 + j·16 + r] += Σ_p a_h[p·lda + r] · bq[p·4 + j]</c> for two groups h of sixteen rows r and four columns j:
    /// one register per group and column, one FMA chain per element in p order, as a tile's. Eight chains, not four, keep the
    /// FMA units busy (measured 0.30 ns per FMA against 0.39 for one group).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void ColumnsTimesRows32x4(float* a0, float* a1, nint lda, float* bq, int k, float* block)
    {
        Vector512<float> x0 = Avx512F.LoadVector512(block), x1 = Avx512F.LoadVector512(block + 16);
        Vector512<float> x2 = Avx512F.LoadVector512(block + 32), x3 = Avx512F.LoadVector512(block + 48);
        Vector512<float> y0 = Avx512F.LoadVector512(block + 64), y1 = Avx512F.LoadVector512(block + 80);
        Vector512<float> y2 = Avx512F.LoadVector512(block + 96), y3 = Avx512F.LoadVector512(block + 112);
        nint offset = 0;
        for (int p = 0; p < k; p++, offset += lda, bq += EdgeWidth)
        {
            var u = Avx512F.LoadVector512(a0 + offset);
            var v = Avx512F.LoadVector512(a1 + offset);
            var s = Vector512.Create(bq[0]);
            x0 = Avx512F.FusedMultiplyAdd(u, s, x0); y0 = Avx512F.FusedMultiplyAdd(v, s, y0);
            s = Vector512.Create(bq[1]);
            x1 = Avx512F.FusedMultiplyAdd(u, s, x1); y1 = Avx512F.FusedMultiplyAdd(v, s, y1);
            s = Vector512.Create(bq[2]);
            x2 = Avx512F.FusedMultiplyAdd(u, s, x2); y2 = Avx512F.FusedMultiplyAdd(v, s, y2);
            s = Vector512.Create(bq[3]);
            x3 = Avx512F.FusedMultiplyAdd(u, s, x3); y3 = Avx512F.FusedMultiplyAdd(v, s, y3);
        }
        Avx512F.Store(block, x0); Avx512F.Store(block + 16, x1); Avx512F.Store(block + 32, x2); Avx512F.Store(block + 48, x3);
        Avx512F.Store(block + 64, y0); Avx512F.Store(block + 80, y1); Avx512F.Store(block + 96, y2); Avx512F.Store(block + 112, y3);
    }

    /// <summary>
    /// <c>c[r·ldc + j] = block[j·16 + r]</c> for sixteen rows and four columns: the four column registers transposed a 4×4
    /// square per 128-bit lane, each row's four values one store.
    /// </summary>
    private static unsafe void StoreRowsOf16x4(float* block, float* c, nint ldc)
    {
        Vector512<float> x0 = Avx512F.LoadVector512(block), x1 = Avx512F.LoadVector512(block + 16);
        Vector512<float> x2 = Avx512F.LoadVector512(block + 32), x3 = Avx512F.LoadVector512(block + 48);
        Vector512<float> t0 = Avx512F.UnpackLow(x0, x1), t1 = Avx512F.UnpackHigh(x0, x1), t2 = Avx512F.UnpackLow(x2, x3), t3 = Avx512F.UnpackHigh(x2, x3);
        // Lane q of u_s holds row 4q + s.
        Vector512<float> u0 = Avx512F.Shuffle(t0, t2, 0x44), u1 = Avx512F.Shuffle(t0, t2, 0xEE);
        Vector512<float> u2 = Avx512F.Shuffle(t1, t3, 0x44), u3 = Avx512F.Shuffle(t1, t3, 0xEE);
        StoreFourRows(c, ldc, u0.GetLower().GetLower(), u1.GetLower().GetLower(), u2.GetLower().GetLower(), u3.GetLower().GetLower());
        StoreFourRows(c + 4 * ldc, ldc, Avx512F.ExtractVector128(u0, 1), Avx512F.ExtractVector128(u1, 1), Avx512F.ExtractVector128(u2, 1), Avx512F.ExtractVector128(u3, 1));
        StoreFourRows(c + 8 * ldc, ldc, Avx512F.ExtractVector128(u0, 2), Avx512F.ExtractVector128(u1, 2), Avx512F.ExtractVector128(u2, 2), Avx512F.ExtractVector128(u3, 2));
        StoreFourRows(c + 12 * ldc, ldc, Avx512F.ExtractVector128(u0, 3), Avx512F.ExtractVector128(u1, 3), Avx512F.ExtractVector128(u2, 3), Avx512F.ExtractVector128(u3, 3));
    }

    private static unsafe void StoreFourRows(float* c, nint ldc, Vector128<float> r0, Vector128<float> r1, Vector128<float> r2, Vector128<float> r3)
    {
        Sse.Store(c, r0); Sse.Store(c + ldc, r1); Sse.Store(c + 2 * ldc, r2); Sse.Store(c + 3 * ldc, r3);
    }

    /// <summary>
    /// <c>C[0..6, 0..width] = (loadC ? C : bias or 0) + Σ_p a[o_r + p·ds] · b[p·ldb + j]</c>, <paramref name="bias"/> (null for 0)
    /// holding <paramref name="width"/> readable values, where row r of the panel starts at <c>o_r</c> (<c>o_0 = 0</c>, <c>o_r = offsets[r − 1]</c>):
    /// offsets rather than one row stride, so rows scattered over a data set cost no more than evenly spaced ones.
    /// </summary>
    /// <remarks>
    /// With <paramref name="next"/> (the six rows of the next panel of A, or null) the two full-width kernels ask for one cache
    /// line of each of those rows every 16 steps of p: a panel read from main memory then arrives while the one before it is
    /// multiplied, a few lines at a time, where asking for it all at once stalled the processor instead.
    /// With <paramref name="copy"/> (six destinations, or null; rows of A contiguous in p) they also copy the panel's rows there
    /// 16 values at a time, just after reading them: gathering a listed mini-batch this way instead of with a copy call per row
    /// after the panel took 2.5–4 ms off 600 forward and weight-gradient products of 100×784×100.
    /// </remarks>
    private static unsafe void Kernel(int width, int kc, float* a, nint* offsets, nint ds, float* b, nint ldb, float* c, nint ldc, bool loadC, float* bias,
        float** next = null, float** copy = null)
    {
        if (width == 32) Kernel512x2(kc, a, offsets, ds, b, ldb, c, ldc, loadC, bias, next, copy);
        else if (width == 16 && V == 16) Kernel512x1(kc, a, offsets, ds, b, ldb, c, ldc, loadC, bias);
        else if (width == 16) Kernel256x2(kc, a, offsets, ds, b, ldb, c, ldc, loadC, bias, next, copy);
        else Kernel256x1(kc, a, offsets, ds, b, ldb, c, ldc, loadC, bias);
    }

    /// <summary>
    /// <c>C[0..6, 0..32] = (loadC ? C : bias or 0) + Σ_p a[o_r + p·ds] · b[p·ldb + j]</c>: twelve AVX-512 accumulators, two loads of B and six
    /// broadcasts of A per step of p, so the FMA units rather than the loads set the pace.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void Kernel512x2(int kc, float* a, nint* offsets, nint ds, float* b, nint ldb, float* c, nint ldc, bool loadC, float* bias, float** next, float** copy)
    {
        float* c0 = c, c1 = c + ldc, c2 = c1 + ldc, c3 = c2 + ldc, c4 = c3 + ldc, c5 = c4 + ldc;
        Vector512<float> x00, x01, x10, x11, x20, x21, x30, x31, x40, x41, x50, x51;
        if (loadC)
        {
            x00 = Avx512F.LoadVector512(c0); x01 = Avx512F.LoadVector512(c0 + 16);
            x10 = Avx512F.LoadVector512(c1); x11 = Avx512F.LoadVector512(c1 + 16);
            x20 = Avx512F.LoadVector512(c2); x21 = Avx512F.LoadVector512(c2 + 16);
            x30 = Avx512F.LoadVector512(c3); x31 = Avx512F.LoadVector512(c3 + 16);
            x40 = Avx512F.LoadVector512(c4); x41 = Avx512F.LoadVector512(c4 + 16);
            x50 = Avx512F.LoadVector512(c5); x51 = Avx512F.LoadVector512(c5 + 16);
        }
        else
        {
            x00 = x10 = x20 = x30 = x40 = x50 = bias is null ? Vector512<float>.Zero : Avx512F.LoadVector512(bias);
            x01 = x11 = x21 = x31 = x41 = x51 = bias is null ? Vector512<float>.Zero : Avx512F.LoadVector512(bias + 16);
        }
        nint r1 = offsets[0], r2 = offsets[1], r3 = offsets[2], r4 = offsets[3], r5 = offsets[4];
        for (int p0 = 0; p0 < kc; p0 += 16)
        {
            if (copy is not null) CopyPanelSlice(a, offsets, copy, p0, Math.Min(16, kc - p0));
            if (next is not null) PrefetchLines(next, p0);
            for (int p = p0, end = Math.Min(kc, p0 + 16); p < end; p++)
            {
                var b0 = Avx512F.LoadVector512(b);
                var b1 = Avx512F.LoadVector512(b + 16);
                var s = Vector512.Create(a[0]);
                x00 = Avx512F.FusedMultiplyAdd(s, b0, x00); x01 = Avx512F.FusedMultiplyAdd(s, b1, x01);
                s = Vector512.Create(a[r1]);
                x10 = Avx512F.FusedMultiplyAdd(s, b0, x10); x11 = Avx512F.FusedMultiplyAdd(s, b1, x11);
                s = Vector512.Create(a[r2]);
                x20 = Avx512F.FusedMultiplyAdd(s, b0, x20); x21 = Avx512F.FusedMultiplyAdd(s, b1, x21);
                s = Vector512.Create(a[r3]);
                x30 = Avx512F.FusedMultiplyAdd(s, b0, x30); x31 = Avx512F.FusedMultiplyAdd(s, b1, x31);
                s = Vector512.Create(a[r4]);
                x40 = Avx512F.FusedMultiplyAdd(s, b0, x40); x41 = Avx512F.FusedMultiplyAdd(s, b1, x41);
                s = Vector512.Create(a[r5]);
                x50 = Avx512F.FusedMultiplyAdd(s, b0, x50); x51 = Avx512F.FusedMultiplyAdd(s, b1, x51);
                a += ds;
                b += ldb;
            }
        }
        Avx512F.Store(c0, x00); Avx512F.Store(c0 + 16, x01);
        Avx512F.Store(c1, x10); Avx512F.Store(c1 + 16, x11);
        Avx512F.Store(c2, x20); Avx512F.Store(c2 + 16, x21);
        Avx512F.Store(c3, x30); Avx512F.Store(c3 + 16, x31);
        Avx512F.Store(c4, x40); Avx512F.Store(c4 + 16, x41);
        Avx512F.Store(c5, x50); Avx512F.Store(c5 + 16, x51);
    }

    /// <summary><c>C[0..6, 0..16] = (loadC ? C : bias or 0) + Σ_p a[o_r + p·ds] · b[p·ldb + j]</c>: the last, narrow strip of an AVX-512 product.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void Kernel512x1(int kc, float* a, nint* offsets, nint ds, float* b, nint ldb, float* c, nint ldc, bool loadC, float* bias)
    {
        float* c0 = c, c1 = c + ldc, c2 = c1 + ldc, c3 = c2 + ldc, c4 = c3 + ldc, c5 = c4 + ldc;
        Vector512<float> x0, x1, x2, x3, x4, x5;
        if (loadC)
        {
            x0 = Avx512F.LoadVector512(c0); x1 = Avx512F.LoadVector512(c1); x2 = Avx512F.LoadVector512(c2);
            x3 = Avx512F.LoadVector512(c3); x4 = Avx512F.LoadVector512(c4); x5 = Avx512F.LoadVector512(c5);
        }
        else x0 = x1 = x2 = x3 = x4 = x5 = bias is null ? Vector512<float>.Zero : Avx512F.LoadVector512(bias);
        nint r1 = offsets[0], r2 = offsets[1], r3 = offsets[2], r4 = offsets[3], r5 = offsets[4];
        for (int p = 0; p < kc; p++)
        {
            var b0 = Avx512F.LoadVector512(b);
            x0 = Avx512F.FusedMultiplyAdd(Vector512.Create(a[0]), b0, x0);
            x1 = Avx512F.FusedMultiplyAdd(Vector512.Create(a[r1]), b0, x1);
            x2 = Avx512F.FusedMultiplyAdd(Vector512.Create(a[r2]), b0, x2);
            x3 = Avx512F.FusedMultiplyAdd(Vector512.Create(a[r3]), b0, x3);
            x4 = Avx512F.FusedMultiplyAdd(Vector512.Create(a[r4]), b0, x4);
            x5 = Avx512F.FusedMultiplyAdd(Vector512.Create(a[r5]), b0, x5);
            a += ds;
            b += ldb;
        }
        Avx512F.Store(c0, x0); Avx512F.Store(c1, x1); Avx512F.Store(c2, x2);
        Avx512F.Store(c3, x3); Avx512F.Store(c4, x4); Avx512F.Store(c5, x5);
    }

    /// <summary><c>C[0..6, 0..16] = (loadC ? C : bias or 0) + Σ_p a[o_r + p·ds] · b[p·ldb + j]</c>: twelve AVX2 accumulators (of 16 registers).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void Kernel256x2(int kc, float* a, nint* offsets, nint ds, float* b, nint ldb, float* c, nint ldc, bool loadC, float* bias, float** next, float** copy)
    {
        float* c0 = c, c1 = c + ldc, c2 = c1 + ldc, c3 = c2 + ldc, c4 = c3 + ldc, c5 = c4 + ldc;
        Vector256<float> x00, x01, x10, x11, x20, x21, x30, x31, x40, x41, x50, x51;
        if (loadC)
        {
            x00 = Avx.LoadVector256(c0); x01 = Avx.LoadVector256(c0 + 8);
            x10 = Avx.LoadVector256(c1); x11 = Avx.LoadVector256(c1 + 8);
            x20 = Avx.LoadVector256(c2); x21 = Avx.LoadVector256(c2 + 8);
            x30 = Avx.LoadVector256(c3); x31 = Avx.LoadVector256(c3 + 8);
            x40 = Avx.LoadVector256(c4); x41 = Avx.LoadVector256(c4 + 8);
            x50 = Avx.LoadVector256(c5); x51 = Avx.LoadVector256(c5 + 8);
        }
        else
        {
            x00 = x10 = x20 = x30 = x40 = x50 = bias is null ? Vector256<float>.Zero : Avx.LoadVector256(bias);
            x01 = x11 = x21 = x31 = x41 = x51 = bias is null ? Vector256<float>.Zero : Avx.LoadVector256(bias + 8);
        }
        nint r1 = offsets[0], r2 = offsets[1], r3 = offsets[2], r4 = offsets[3], r5 = offsets[4];
        for (int p0 = 0; p0 < kc; p0 += 16)
        {
            if (copy is not null) CopyPanelSlice(a, offsets, copy, p0, Math.Min(16, kc - p0));
            if (next is not null) PrefetchLines(next, p0);
            for (int p = p0, end = Math.Min(kc, p0 + 16); p < end; p++)
            {
                var b0 = Avx.LoadVector256(b);
                var b1 = Avx.LoadVector256(b + 8);
                var s = Vector256.Create(a[0]);
                x00 = Fma.MultiplyAdd(s, b0, x00); x01 = Fma.MultiplyAdd(s, b1, x01);
                s = Vector256.Create(a[r1]);
                x10 = Fma.MultiplyAdd(s, b0, x10); x11 = Fma.MultiplyAdd(s, b1, x11);
                s = Vector256.Create(a[r2]);
                x20 = Fma.MultiplyAdd(s, b0, x20); x21 = Fma.MultiplyAdd(s, b1, x21);
                s = Vector256.Create(a[r3]);
                x30 = Fma.MultiplyAdd(s, b0, x30); x31 = Fma.MultiplyAdd(s, b1, x31);
                s = Vector256.Create(a[r4]);
                x40 = Fma.MultiplyAdd(s, b0, x40); x41 = Fma.MultiplyAdd(s, b1, x41);
                s = Vector256.Create(a[r5]);
                x50 = Fma.MultiplyAdd(s, b0, x50); x51 = Fma.MultiplyAdd(s, b1, x51);
                a += ds;
                b += ldb;
            }
        }
        Avx.Store(c0, x00); Avx.Store(c0 + 8, x01);
        Avx.Store(c1, x10); Avx.Store(c1 + 8, x11);
        Avx.Store(c2, x20); Avx.Store(c2 + 8, x21);
        Avx.Store(c3, x30); Avx.Store(c3 + 8, x31);
        Avx.Store(c4, x40); Avx.Store(c4 + 8, x41);
        Avx.Store(c5, x50); Avx.Store(c5 + 8, x51);
    }

    /// <summary><c>C[0..6, 0..8] = (loadC ? C : bias or 0) + Σ_p a[o_r + p·ds] · b[p·ldb + j]</c>: the last, narrow strip of an AVX2 product, or a last strip of at most 8 columns in an AVX-512 one.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void Kernel256x1(int kc, float* a, nint* offsets, nint ds, float* b, nint ldb, float* c, nint ldc, bool loadC, float* bias)
    {
        float* c0 = c, c1 = c + ldc, c2 = c1 + ldc, c3 = c2 + ldc, c4 = c3 + ldc, c5 = c4 + ldc;
        Vector256<float> x0, x1, x2, x3, x4, x5;
        if (loadC)
        {
            x0 = Avx.LoadVector256(c0); x1 = Avx.LoadVector256(c1); x2 = Avx.LoadVector256(c2);
            x3 = Avx.LoadVector256(c3); x4 = Avx.LoadVector256(c4); x5 = Avx.LoadVector256(c5);
        }
        else x0 = x1 = x2 = x3 = x4 = x5 = bias is null ? Vector256<float>.Zero : Avx.LoadVector256(bias);
        nint r1 = offsets[0], r2 = offsets[1], r3 = offsets[2], r4 = offsets[3], r5 = offsets[4];
        for (int p = 0; p < kc; p++)
        {
            var b0 = Avx.LoadVector256(b);
            x0 = Fma.MultiplyAdd(Vector256.Create(a[0]), b0, x0);
            x1 = Fma.MultiplyAdd(Vector256.Create(a[r1]), b0, x1);
            x2 = Fma.MultiplyAdd(Vector256.Create(a[r2]), b0, x2);
            x3 = Fma.MultiplyAdd(Vector256.Create(a[r3]), b0, x3);
            x4 = Fma.MultiplyAdd(Vector256.Create(a[r4]), b0, x4);
            x5 = Fma.MultiplyAdd(Vector256.Create(a[r5]), b0, x5);
            a += ds;
            b += ldb;
        }
        Avx.Store(c0, x0); Avx.Store(c1, x1); Avx.Store(c2, x2);
        Avx.Store(c3, x3); Avx.Store(c4, x4); Avx.Store(c5, x5);
    }

    /// <summary>
    /// <c>c[j] += Σ_p a[p] · b[p·ldb + j]</c> for <c>j &lt; n</c>: one row times a matrix, reading each row of B once with four
    /// accumulators in flight (enough to hide the FMA latency); the columns left over go one register, then one value, at a time.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void RowTimesMatrix(float* a, float* b, float* c, int n, int ldb, int k)
    {
        int j = 0;
        if (V == 16)
        {
            for (; j + 64 <= n; j += 64)
            {
                Vector512<float> x0 = Avx512F.LoadVector512(c + j), x1 = Avx512F.LoadVector512(c + j + 16);
                Vector512<float> x2 = Avx512F.LoadVector512(c + j + 32), x3 = Avx512F.LoadVector512(c + j + 48);
                float* bp = b + j;
                for (int p = 0; p < k; p++, bp += ldb)
                {
                    var s = Vector512.Create(a[p]);
                    x0 = Avx512F.FusedMultiplyAdd(s, Avx512F.LoadVector512(bp), x0);
                    x1 = Avx512F.FusedMultiplyAdd(s, Avx512F.LoadVector512(bp + 16), x1);
                    x2 = Avx512F.FusedMultiplyAdd(s, Avx512F.LoadVector512(bp + 32), x2);
                    x3 = Avx512F.FusedMultiplyAdd(s, Avx512F.LoadVector512(bp + 48), x3);
                }
                Avx512F.Store(c + j, x0); Avx512F.Store(c + j + 16, x1); Avx512F.Store(c + j + 32, x2); Avx512F.Store(c + j + 48, x3);
            }
            for (; j + 16 <= n; j += 16)
            {
                Vector512<float> x0 = Avx512F.LoadVector512(c + j);
                float* bp = b + j;
                for (int p = 0; p < k; p++, bp += ldb) x0 = Avx512F.FusedMultiplyAdd(Vector512.Create(a[p]), Avx512F.LoadVector512(bp), x0);
                Avx512F.Store(c + j, x0);
            }
        }
        for (; j + 32 <= n; j += 32)
        {
            Vector256<float> x0 = Avx.LoadVector256(c + j), x1 = Avx.LoadVector256(c + j + 8);
            Vector256<float> x2 = Avx.LoadVector256(c + j + 16), x3 = Avx.LoadVector256(c + j + 24);
            float* bp = b + j;
            for (int p = 0; p < k; p++, bp += ldb)
            {
                var s = Vector256.Create(a[p]);
                x0 = Fma.MultiplyAdd(s, Avx.LoadVector256(bp), x0);
                x1 = Fma.MultiplyAdd(s, Avx.LoadVector256(bp + 8), x1);
                x2 = Fma.MultiplyAdd(s, Avx.LoadVector256(bp + 16), x2);
                x3 = Fma.MultiplyAdd(s, Avx.LoadVector256(bp + 24), x3);
            }
            Avx.Store(c + j, x0); Avx.Store(c + j + 8, x1); Avx.Store(c + j + 16, x2); Avx.Store(c + j + 24, x3);
        }
        for (; j + 8 <= n; j += 8)
        {
            Vector256<float> x0 = Avx.LoadVector256(c + j);
            float* bp = b + j;
            for (int p = 0; p < k; p++, bp += ldb) x0 = Fma.MultiplyAdd(Vector256.Create(a[p]), Avx.LoadVector256(bp), x0);
            Avx.Store(c + j, x0);
        }
        for (; j < n; j++)
        {
            float sum = c[j];
            float* bp = b + j;
            for (int p = 0; p < k; p++, bp += ldb) sum = MathF.FusedMultiplyAdd(a[p], *bp, sum);
            c[j] = sum;
        }
    }
}
