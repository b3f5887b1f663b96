# Measures what Invoke-NeuralNetPrediction costs per row on top of the engine: `$rows | Invoke-Predict` (rows as Import-Csv
# gives them, already in memory, so the CSV parsing is not counted) against the engine's own batch prediction of the same
# rows, and `Invoke-Predict -Path` on the file: total time and time to the first row. The target is at most 20 µs of cmdlet
# overhead per row. A benchmark, not a test: run it by hand on a quiet machine, e.g.
#   dotnet build src/PSModule -c Release
#   dotnet pwsh -NoProfile -File src/PSModule/bench/Measure-PredictOverhead.ps1 -Module src/PSModule/bin/Release/net8.0/MLNetNN.psd1
# Peak memory of the -Path run: /usr/bin/time -v dotnet pwsh -NoProfile -File <this script> -Module <psd1> -PathOnly
param(
    [Parameter(Mandatory)] [string] $Module,
    [int] $Rows = 200000,
    [switch] $PathOnly
)
$ErrorActionPreference = 'Stop'
Import-Module (Resolve-Path -LiteralPath $Module).ProviderPath -Force

# A synthetic four-feature, three-class problem shaped like Iris, with a 4-16-3 network trained briefly: the engine's cost
# per row is then small, so what is left is the cmdlet's.
$random = [System.Random]::new(1)
$file = Join-Path ([System.IO.Path]::GetTempPath()) "mlnetnn-bench-$PID.csv"
$writer = [System.IO.StreamWriter]::new($file)
try {
    $writer.WriteLine('A,B,C,D,Class')
    for ($i = 0; $i -lt $Rows; $i++) {
        $c = $i % 3
        $writer.WriteLine([string]::Format([cultureinfo]::InvariantCulture, '{0:0.###},{1:0.###},{2:0.###},{3:0.###},k{4}',
            $c + $random.NextDouble(), $random.NextDouble(), 2 * $c + $random.NextDouble(), $random.NextDouble(), $c))
    }
} finally { $writer.Dispose() }

try {
    $training = Import-Csv $file | Select-Object -First 3000
    $model = $training | Invoke-NeuralNetTraining -Label Class -Network (New-NeuralNet 16 -Seed 1) -Epochs 5 -ProgressAction SilentlyContinue

    $first = $null
    $watch = [System.Diagnostics.Stopwatch]::StartNew()
    $count = 0
    Invoke-NeuralNetPrediction -Model $model -Path $file | ForEach-Object { if ($null -eq $first) { $first = $watch.Elapsed }; $count++ }
    $pathTotal = $watch.Elapsed
    '-Path: {0:N0} rows in {1:N2} s, first row after {2:N3} s' -f $count, $pathTotal.TotalSeconds, $first.TotalSeconds
    if ($PathOnly) { return }

    $imported = Import-Csv $file
    $data = [MLNetNN.Data.CsvLoader]::Load($file, 'Class', 'Classification', [MLNetNN.Data.CsvReadOptions] @{ ClassNames = $model.Classes })
    $null = $model.Model.PredictBatch($data)   # warm-up
    $null = $imported | Select-Object -First 1000 | Invoke-NeuralNetPrediction $model
    $engine = Measure-Command { $null = $model.Model.PredictBatch($data) }
    $cmdlet = Measure-Command { $imported | Invoke-NeuralNetPrediction $model | Out-Null }
    # What any compiled cmdlet taking pipeline input costs per row here (binding, output), for scale.
    $floor = Measure-Command { $imported | Write-Output | Out-Null }
    $perRow = 1e6 / $imported.Count
    'Engine (batch): {0:N2} µs per row' -f ($engine.TotalSeconds * $perRow)
    'Import-Csv rows | Invoke-Predict: {0:N2} µs per row' -f ($cmdlet.TotalSeconds * $perRow)
    'Cmdlet overhead: {0:N2} µs per row (target ≤ 20)' -f (($cmdlet.TotalSeconds - $engine.TotalSeconds) * $perRow)
    'For scale, Import-Csv rows | Write-Output: {0:N2} µs per row' -f ($floor.TotalSeconds * $perRow)
} finally {
    Remove-Item $file -ErrorAction SilentlyContinue
}
