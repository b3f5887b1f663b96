# Measures what Invoke-NeuralNetPrediction costs per row on top of the engine: `$rows | Invoke-Predict` (rows as Import-Csv
# gives them, already in memory, so the CSV parsing is not counted) against the engine's own batch prediction of the same
# rows, and `Invoke-Predict -Path` on the file: total time and time to the first row. The target is at most 20 µs of cmdlet
# overhead per row (the cmdlet's time per row less the engine's). A benchmark, not a test: run it by hand, e.g.
#   dotnet tool restore
#   dotnet build src/PSModule -c Release
#   dotnet pwsh -NoProfile -File src/PSModule/bench/Measure-PredictOverhead.ps1 -Module src/PSModule/bin/Release/net8.0/MLNetNN.psd1
# Peak memory of the -Path run: /usr/bin/time -v dotnet pwsh -NoProfile -File <this script> -Module <psd1> -PathOnly
#
# Each measurement is repeated (-Repeat) and the best and the median are shown. On a busy machine wall time includes the
# time the process waited for a core, so the process's CPU time per row is shown beside it (it also counts the garbage
# collector's and the JIT's threads): when the two differ much, the machine was busy and the CPU figure is the nearer to
# what a quiet machine gives. The load average is printed before and after.
param(
    # The module manifest to import (the build output's MLNetNN.psd1).
    [Parameter(Mandatory)] [string] $Module,
    # Rows in the synthetic file.
    [int] $Rows = 200000,
    # Times each in-memory measurement is repeated.
    [ValidateRange(1, 100)] [int] $Repeat = 5,
    # Measure only -Path (for a peak-memory run).
    [switch] $PathOnly
)
$ErrorActionPreference = 'Stop'
Import-Module (Resolve-Path -LiteralPath $Module).ProviderPath -Force

function Get-LoadAverage {
    if (Test-Path /proc/loadavg) { 'load average ' + ((Get-Content /proc/loadavg) -split ' ')[0..2] -join ' ' } else { 'load average unknown' }
}

# Runs $Script and gives its wall and process CPU time per row, in µs.
function Measure-PerRow([scriptblock] $Script, [int] $Count) {
    $process = [System.Diagnostics.Process]::GetCurrentProcess()
    $cpu = $process.TotalProcessorTime
    $wall = Measure-Command $Script
    $process.Refresh()
    [pscustomobject]@{ Wall = $wall.TotalSeconds * 1e6 / $Count; Cpu = ($process.TotalProcessorTime - $cpu).TotalSeconds * 1e6 / $Count }
}

function Get-Median([double[]] $Values) {
    $sorted = [double[]] ($Values | Sort-Object)
    if ($sorted.Count % 2) { $sorted[($sorted.Count - 1) / 2] } else { ($sorted[$sorted.Count / 2 - 1] + $sorted[$sorted.Count / 2]) / 2 }
}

"Before: $(Get-LoadAverage) on $([Environment]::ProcessorCount) cores"

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
    $model = $training | Invoke-NeuralNetTraining -Label Class -Network (New-NeuralNet 16 -Seed 1) -Epochs 5 -ProgressAction SilentlyContinue -WarningAction SilentlyContinue

    $first = $null
    $watch = [System.Diagnostics.Stopwatch]::StartNew()
    $count = 0
    Invoke-NeuralNetPrediction -Model $model -Path $file | ForEach-Object { if ($null -eq $first) { $first = $watch.Elapsed }; $count++ }
    $pathTotal = $watch.Elapsed
    '-Path: {0:N0} rows in {1:N2} s ({2:N2} µs per row), first row after {3:N3} s' -f $count, $pathTotal.TotalSeconds, ($pathTotal.TotalSeconds * 1e6 / $count), $first.TotalSeconds
    if ($PathOnly) { return }

    $data = [MLNetNN.Data.CsvLoader]::Load($file, 'Class', 'Classification', [MLNetNN.Data.CsvReadOptions] @{ ClassNames = $model.Classes })
    $null = $model.Model.PredictBatch($data)   # warm-up, long enough for the JIT's optimised code
    $null = Import-Csv $file | Select-Object -First 20000 | Invoke-NeuralNetPrediction $model

    $runs = [System.Collections.Generic.List[object]]::new()
    for ($r = 1; $r -le $Repeat; $r++) {
        # Fresh rows for every run, as `Import-Csv file | Invoke-Predict` has: PowerShell does some work on a row the first
        # time it is read, which rows read before would not show.
        $imported = $null
        [GC]::Collect()
        $imported = Import-Csv $file
        $engine = Measure-PerRow { $null = $model.Model.PredictBatch($data) } $imported.Count
        $cmdlet = Measure-PerRow { $imported | Invoke-NeuralNetPrediction $model | Out-Null } $imported.Count
        # What any compiled cmdlet taking pipeline input costs per row here (binding, output), for scale: it is in the cmdlet's figure too.
        $floor = Measure-PerRow { $imported | Write-Output | Out-Null } $imported.Count
        $run = [pscustomobject]@{
            EngineUs = $engine.Wall; CmdletUs = $cmdlet.Wall; OverheadUs = $cmdlet.Wall - $engine.Wall; PipelineUs = $floor.Wall
            OverheadCpuUs = $cmdlet.Cpu - $engine.Cpu; PipelineCpuUs = $floor.Cpu
        }
        $runs.Add($run)
        'Run {0}: engine {1:N2} µs/row, cmdlet {2:N2} µs/row, overhead {3:N2} µs/row (CPU {4:N2}), Write-Output alone {5:N2} µs/row (CPU {6:N2})' -f
            $r, $run.EngineUs, $run.CmdletUs, $run.OverheadUs, $run.OverheadCpuUs, $run.PipelineUs, $run.PipelineCpuUs
    }
    ''
    foreach ($figure in @(
            @('Engine (batch)', 'EngineUs'), @('Import-Csv rows | Invoke-Predict', 'CmdletUs'),
            @('Cmdlet overhead (cmdlet - engine)', 'OverheadUs'), @('Cmdlet overhead, process CPU time', 'OverheadCpuUs'),
            @('For scale, Import-Csv rows | Write-Output', 'PipelineUs'), @('the same, process CPU time', 'PipelineCpuUs'))) {
        $values = [double[]] $runs.($figure[1])
        '{0,-42} best {1,7:N2} µs/row, median {2,7:N2} µs/row' -f $figure[0], ($values | Measure-Object -Minimum).Minimum, (Get-Median $values)
    }
    $best = ([double[]] $runs.OverheadUs | Measure-Object -Minimum).Minimum
    $median = Get-Median ([double[]] $runs.OverheadUs)
    'Target: cmdlet overhead ≤ 20 µs/row. Best {0:N2}, median {1:N2}: {2}' -f $best, $median, $(
        if ($median -le 20) { 'met' } elseif ($best -le 20) { 'met by the best run only' } else { 'NOT met' })
    "After: $(Get-LoadAverage)"
} finally {
    Remove-Item $file -ErrorAction SilentlyContinue
}
