namespace MLNetNN.Data;

/// <summary>
/// Seeded, deterministic splits of a data set into training and test rows: a single hold-out split and k-fold
/// cross-validation, each optionally stratified by class like scikit-learn's StratifiedShuffleSplit and
/// StratifiedKFold. The same data, arguments and seed always give the same split, on every platform, because
/// the only randomness is <see cref="Random(int)"/> seeded with <c>seed</c>.
/// </summary>
public static class DataSplit
{
    /// <summary>Splits rows at random into a training and a test set (both copied, rows in shuffled order).</summary>
    /// <param name="data">The rows to split; needs at least 2.</param>
    /// <param name="testFraction">The share of rows for the test set, in (0, 1).</param>
    /// <param name="seed">Seeds the shuffle.</param>
    /// <param name="stratify">
    /// Split each class separately so both sides keep the class proportions (classification only). Each class
    /// sends round(fraction × count) rows to the test set, but at least one to each side when it has ≥ 2 rows; a
    /// class with a single row goes to the training set. The test set may so differ from the requested size by a
    /// few rows.
    /// </param>
    /// <remarks>Without stratification the test set has ⌈fraction × rows⌉ rows (as scikit-learn), kept within 1..rows−1.</remarks>
    /// <exception cref="ArgumentException">
    /// Invalid fraction, fewer than 2 rows, stratify without classes, or stratify when every class has a single row.
    /// </exception>
    public static (Dataset Train, Dataset Test) TrainTestSplit(Dataset data, double testFraction, int seed, bool stratify)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (!(testFraction > 0 && testFraction < 1))
            throw new ArgumentOutOfRangeException(nameof(testFraction), testFraction, "The test fraction must lie strictly between 0 and 1.");
        if (data.Rows < 2) throw new ArgumentException($"Splitting needs at least 2 rows; the data set has {data.Rows}.", nameof(data));

        var random = new Random(seed);
        var train = new List<int>();
        var test = new List<int>();
        if (stratify)
        {
            foreach (int[] members in RowsByClass(data))
            {
                Shuffle(members, random);
                int take = members.Length < 2 ? 0 : Math.Clamp((int)Math.Round(testFraction * members.Length, MidpointRounding.AwayFromZero), 1, members.Length - 1);
                test.AddRange(members.AsSpan(0, take));
                train.AddRange(members.AsSpan(take));
            }
            if (test.Count == 0)
                throw new ArgumentException("A stratified split needs a class with at least 2 rows; every class here has one, so the test set would be empty.", nameof(data));
            // Rows were gathered class by class; mix them so consumers that do not shuffle still see all classes early.
            int[] trainRows = train.ToArray(), testRows = test.ToArray();
            Shuffle(trainRows, random);
            Shuffle(testRows, random);
            return (data.Subset(trainRows), data.Subset(testRows));
        }

        int[] order = Permutation(data.Rows, random);
        // The tolerance keeps binary rounding from adding a row: 0.07 × 100 is 7.000000000000001 in doubles.
        int testCount = Math.Clamp((int)Math.Ceiling(testFraction * data.Rows - 1e-9), 1, data.Rows - 1);
        return (data.Subset(order[testCount..]), data.Subset(order[..testCount]));
    }

    /// <summary>
    /// Row indices for k-fold cross-validation: every row is in exactly one test fold, and each fold trains on
    /// the other rows. Indices in each array are ascending.
    /// </summary>
    /// <param name="data">The rows to split.</param>
    /// <param name="folds">Number of folds, 2..rows.</param>
    /// <param name="seed">Seeds the shuffle; unused when <paramref name="shuffle"/> is false.</param>
    /// <param name="stratify">
    /// Keep class proportions in every fold (classification only), as scikit-learn's StratifiedKFold: rows sorted
    /// by class are dealt round-robin to the folds, so fold sizes differ by at most one and each class's count
    /// per fold by at most one. Every class present must have at least <paramref name="folds"/> rows, since
    /// otherwise some test fold would lack it; that is an error here rather than scikit-learn's warning, because
    /// a silently unrepresentative fold skews the scores. Use fewer folds or no stratification.
    /// </param>
    /// <param name="shuffle">
    /// Shuffle before assigning folds. Without it, non-stratified folds are contiguous blocks in file order and
    /// stratified folds take each class's rows in file order.
    /// </param>
    /// <returns>One (Train, Test) pair per fold. Without stratification, fold sizes differ by at most one, the larger folds first.</returns>
    /// <exception cref="ArgumentException">Invalid fold count, stratify without classes, or a class with fewer rows than folds.</exception>
    public static IReadOnlyList<(int[] Train, int[] Test)> KFold(Dataset data, int folds, int seed, bool stratify, bool shuffle = true)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (folds < 2 || folds > data.Rows)
            throw new ArgumentOutOfRangeException(nameof(folds), folds, $"The fold count must lie in 2..{data.Rows} (the number of rows).");

        var random = new Random(seed);
        var foldOf = new int[data.Rows];
        if (stratify)
        {
            AssignStratifiedFolds(data, folds, shuffle ? random : null, foldOf);
        }
        else
        {
            int[] order = shuffle ? Permutation(data.Rows, random) : Enumerable.Range(0, data.Rows).ToArray();
            int start = 0;
            for (int f = 0; f < folds; f++)
            {
                int size = data.Rows / folds + (f < data.Rows % folds ? 1 : 0);
                for (int i = start; i < start + size; i++) foldOf[order[i]] = f;
                start += size;
            }
        }

        var result = new (int[] Train, int[] Test)[folds];
        for (int f = 0; f < folds; f++)
        {
            var train = new List<int>();
            var test = new List<int>();
            for (int i = 0; i < data.Rows; i++) (foldOf[i] == f ? test : train).Add(i);
            result[f] = (train.ToArray(), test.ToArray());
        }
        return result;
    }

    private static void AssignStratifiedFolds(Dataset data, int folds, Random? random, int[] foldOf)
    {
        int[][] byClass = RowsByClass(data);
        for (int c = 0; c < byClass.Length; c++)
        {
            if (byClass[c].Length is > 0 and var count && count < folds)
            {
                throw new ArgumentException(
                    $"Class '{data.ClassNames![c]}' has {count} rows, fewer than the {folds} folds, so some test folds would lack it. Use at most {count} folds or stratify: false.",
                    nameof(folds));
            }
        }

        // Deal the class-sorted sequence round-robin: position p goes to fold p mod k. This balances both the fold
        // sizes and each class's share per fold (scikit-learn's StratifiedKFold allocation).
        int position = 0;
        foreach (int[] members in byClass)
        {
            var assignment = new int[members.Length];
            for (int i = 0; i < members.Length; i++) assignment[i] = (position + i) % folds;
            position += members.Length;
            Array.Sort(assignment);
            if (random is not null) Shuffle(assignment, random);
            for (int i = 0; i < members.Length; i++) foldOf[members[i]] = assignment[i];
        }
    }

    /// <summary>Row indices of each class, in row order; one (possibly empty) array per class index.</summary>
    private static int[][] RowsByClass(Dataset data)
    {
        if (data.ClassNames is null || data.LabelWidth != 1)
            throw new ArgumentException("Stratification needs a classification data set (one with ClassNames).", nameof(data));
        var lists = new List<int>[data.ClassCount];
        for (int c = 0; c < lists.Length; c++) lists[c] = [];
        for (int i = 0; i < data.Rows; i++) lists[(int)data.Labels[i]].Add(i);
        return lists.Select(l => l.ToArray()).ToArray();
    }

    private static int[] Permutation(int n, Random random)
    {
        int[] order = Enumerable.Range(0, n).ToArray();
        Shuffle(order, random);
        return order;
    }

    // Fisher–Yates written out rather than Random.Shuffle so the sequence stays fixed across .NET versions.
    private static void Shuffle(int[] values, Random random)
    {
        for (int i = values.Length - 1; i > 0; i--)
        {
            int j = random.Next(i + 1);
            (values[i], values[j]) = (values[j], values[i]);
        }
    }
}
