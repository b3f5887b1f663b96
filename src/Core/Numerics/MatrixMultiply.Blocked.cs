using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace MLNetNN.Numerics;

public static partial class MatrixMultiply
{
    private sealed unsafe partial class Job
    {
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
                // One or two rows (a single prediction): no tile would fill, so stream each row of B once instead of packing it,
                // with AVX2 skipping the rows of B that meet a zero (RowProduct). Each element is still one FMA chain over p from the
                // same start, and the edge the same dot products, so the sums equal the tiled path's.
                for (int i = i0; i < i1; i++)
                {
                    float* row = RowOfA(i), ci = c + (long)i * n + j0;
                    int cols = Math.Max(0, jEnd - j0);
                    if (V == 8) RowProduct.Accumulate(row, b + j0, n, ci, cols, k);
                    else RowTimesMatrix(row, b + j0, ci, cols, n, k);
                }
                if (edge) EdgeDots(i0, i1 - i0, edgeColumns);
                if (j0 == 0) GatherRows(i0, i1 - i0, 0, k);
                return;
            }
            if (V == 8)
            {
                if (SkipsZeroSteps(i0, i1, j0, j1, out int* order)) ListedPanels(i0, i1, j0, j1, order);
                else PackedBlocked(i0, i1, j0, j1);
                return;
            }

            // Same KC for every thread count: the blocks decide the summation order.
            int kcMax = DepthBlock(k);
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
                    PackB(packedB, jc, nc, pc, kc, bInPlace);
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
    }
}
