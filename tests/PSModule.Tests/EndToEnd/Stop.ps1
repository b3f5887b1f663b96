# A Ctrl+C-style stop: PowerShell's Stop() calls the cmdlet's StopProcessing, as Ctrl+C does in a console. Training must end
# promptly, and the best model so far must be in $LastNeuralNet, usable and saveable.
param([string] $Module, [string] $Data, [string] $Work)
. (Join-Path $PSScriptRoot 'Common.ps1')

$ps = [powershell]::Create()
$null = $ps.AddScript({
    param($module, $iris)
    Import-Module $module
    Import-Csv $iris | Invoke-Train -Label Species -Epochs 1000000 -BatchSize 16 -Convergence None -Network (New-NeuralNet -HiddenLayers 16 -Seed 1)
}).AddArgument($Module).AddArgument((Join-Path $Data 'iris.csv'))
$async = $ps.BeginInvoke()
$deadline = [datetime]::UtcNow.AddMinutes(2)
while ($ps.Streams.Progress.Count -lt 5 -and [datetime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 20 }
Assert-True ($ps.Streams.Progress.Count -ge 5) 'training reported progress before the stop'

$clock = [System.Diagnostics.Stopwatch]::StartNew()
$ps.Stop()
Assert-True ($clock.Elapsed.TotalSeconds -lt 10) "the stop took $($clock.Elapsed)"
Assert-Equal 'Stopped' "$($ps.InvocationStateInfo.State)" 'pipeline state'

$model = $ps.Runspace.SessionStateProxy.GetVariable('LastNeuralNet')
Assert-True ($null -ne $model) 'the model so far is in $LastNeuralNet'
Assert-Equal 'Cancelled' "$($model.StopReason)" 'stop reason'
Assert-True ($model.Epochs -ge 5 -and $model.Epochs -lt 1000000) "epochs trained: $($model.Epochs)"
Assert-True ($model.BestEpoch -ge 1 -and $model.BestEpoch -le $model.Epochs) "kept epoch $($model.BestEpoch)"
Assert-True ($model.Message -match 'best so far') "message: $($model.Message)"
Assert-True (@($ps.Streams.Warning | Where-Object Message -match 'LastNeuralNet').Count -eq 1) 'a warning says where the model is'
Assert-Equal 0 $ps.Streams.Error.Count 'no errors'
$ps.Runspace.Dispose()
$ps.Dispose()

# The stopped model is a normal model.
Import-Module $Module
$rows = Import-Csv (Join-Path $Data 'iris.csv')
$predicted = $rows | Invoke-Predict $model
$accuracy = @($predicted | Where-Object { $_.Species -eq $_.PredictedLabel }).Count / $rows.Count
Assert-True ($accuracy -gt 0.8) "accuracy of the stopped model $accuracy"
$model | Save-NeuralNet (Join-Path $Work 'stopped.nn')
Assert-Equal $model.Epochs (Import-NeuralNet (Join-Path $Work 'stopped.nn')).Epochs 'saved and read back'

'STOP OK'
