# The session of issue 4, end to end: import, train on Iris with progress, history table, predict, measure, save
# (-WhatIf, refusal, -Force), import, predict again identically.
param([string] $Module, [string] $Data, [string] $Work)
. (Join-Path $PSScriptRoot 'Common.ps1')

Import-Module $Module
$iris = Join-Path $Data 'iris.csv'
$all = Import-Csv $iris
$shuffled = Get-Random -InputObject $all -Count $all.Count -SetSeed 7
$train = $shuffled[0..111]
$test = $shuffled[112..149]

# Train in a second runspace, whose progress and verbose records can be inspected.
$ps = [powershell]::Create()
$null = $ps.AddScript({
    param($module, $rows)
    Import-Module $module
    $net = New-NeuralNet -HiddenLayers 16,8 -Activation ReLU -Task Multiclass -LearningRate 0.01 -Seed 1
    # -Convergence None: the run goes to its epoch limit, so progress and verbose lines end at epoch 200/200. (It used to reach
    # the limit anyway with one Adam step an epoch; with the default batch of 32 rows it converges near epoch 80.)
    $rows | Invoke-Train -Network $net -Label Species -Epochs 200 -ValidationFraction 0.2 -Convergence None -Verbose
}).AddArgument($Module).AddArgument($train)
$model = $ps.Invoke() | Select-Object -First 1
$progress = @($ps.Streams.Progress)
$verbose = @($ps.Streams.Verbose)
$last = $ps.Runspace.SessionStateProxy.GetVariable('LastNeuralNet')
$ps.Runspace.Dispose()
$ps.Dispose()

Assert-True ($null -ne $model) 'training returned a model'
Assert-Equal 'MLNetNN.PowerShell.Output.NeuralNetModel' $model.GetType().FullName 'model type'
Assert-Equal 'Multiclass' "$($model.Task)" 'task'
Assert-Equal '4-16-8-3' $model.Architecture 'architecture'
Assert-Equal 'setosa,versicolor,virginica' ($model.Classes -join ',') 'classes'
Assert-Equal 'Species' $model.Label 'label'
Assert-Equal 200 $model.Epochs 'epochs trained'
# Epochs that arrive while the console is still drawing are reported together, so count updates loosely; the last is epoch 200.
$running = @($progress | Where-Object RecordType -eq 'Processing')
Assert-True ($running.Count -ge 1) 'progress was reported while training'
Assert-True ($running[-1].StatusDescription -match '^Epoch 200/200 ') "the last progress update is the last epoch: $($running[-1].StatusDescription)"
Assert-Equal 100 $running[-1].PercentComplete 'percent complete at the end'
Assert-True ($running[-1].StatusDescription -match '^Epoch \d+/200  loss \d\.\d{4}  val_loss \d\.\d{4}  accuracy \d\.\d{4}  val_accuracy') "progress text: $($running[-1].StatusDescription)"
Assert-True ($running[-1].SecondsRemaining -ge 0) 'progress has time left'
Assert-Equal 'Completed' "$($progress[-1].RecordType)" 'progress completes'
Assert-True (@($verbose | Where-Object Message -match '^epoch +\d+/200').Count -eq 200) 'one verbose line per epoch'
Assert-True (@($verbose | Where-Object Message -match '^112 rows, 4 features').Count -eq 1) 'verbose data summary'
Assert-True ([object]::ReferenceEquals($last, $model)) 'the model is also in $LastNeuralNet'

# The epoch limit stopping a run that was still improving writes a warning (issue 13, convergence honesty).
$short = $train | Invoke-Train -Network (New-NeuralNet -HiddenLayers 16 -Task Multiclass -LearningRate 0.01 -Seed 1) -Label Species -Epochs 3 -WarningVariable shortWarnings 3>$null
Assert-Equal 'MaxEpochs' "$($short.StopReason)" 'three epochs end at the epoch limit'
Assert-True (@($shortWarnings | Where-Object Message -match 'still falling').Count -eq 1) "one warning says the run had not converged: $shortWarnings"

# History as a table, with the names the issue uses.
$history = $model.History | Format-Table Epoch, TrainLoss, ValidationLoss, Accuracy | Out-String
Assert-True ($history -match 'Epoch\s+TrainLoss\s+ValidationLoss\s+Accuracy') "history table header: $history"
Assert-True ($model.History[-1].Accuracy -gt 0.9) "training accuracy $($model.History[-1].Accuracy)"
Assert-True (($model | Out-String) -match 'Task\s+Architecture\s+Classes\s+Epochs\s+StopReason') 'default model view is a table'

# Predictions merged onto the input rows; the input objects are left alone.
$predicted = $test | Invoke-Predict -Model $model
Assert-Equal $test.Count @($predicted).Count 'one prediction per row'
$selected = $predicted | Select-Object Species, PredictedLabel, Probability
Assert-True (($selected | Get-Member -MemberType NoteProperty).Count -eq 3) 'selected columns'
$accuracy = @($predicted | Where-Object { $_.Species -eq $_.PredictedLabel }).Count / $test.Count
Assert-True ($accuracy -ge 0.85) "held-out accuracy $accuracy"
Assert-True ($null -eq $test[0].PSObject.Properties['PredictedLabel']) 'the input rows are not modified'
Assert-True (($predicted | Select-Object -First 2 | Out-String) -match 'PredictedLabel\s+Probability\s+Input') 'default prediction view'
$sum = ($predicted[0].PSObject.Properties | Where-Object Name -like 'Probability_*' | Measure-Object Value -Sum).Sum
Assert-True ([math]::Abs($sum - 1) -lt 1e-5) "probabilities sum to 1 ($sum)"

# Hashtables and re-predicting a prediction work too.
$one = @{ SepalLength = '6.3'; SepalWidth = 3.3; PetalLength = 6.0; PetalWidth = 2.5 } | Invoke-Predict $model
Assert-Equal 'virginica' $one.PredictedLabel 'hashtable row'
$again = $predicted | Invoke-Predict $model
Assert-Equal ($predicted.Probability -join ',') ($again.Probability -join ',') 'predicting a prediction replaces its columns'

# Metrics on the held-out rows.
$metrics = $model | Measure-NeuralNet -Data $test
Assert-Equal 'MLNetNN.Metrics.ClassificationMetrics' $metrics.GetType().FullName 'metrics type'
Assert-Equal $test.Count $metrics.Rows 'metric rows'
Assert-True ([math]::Abs($metrics.Accuracy - $accuracy) -lt 1e-9) 'metrics agree with the predictions'
Assert-Equal 3 @($metrics.PerClass).Count 'per-class rows'
Assert-True (($metrics.ConfusionMatrix | Out-String) -match 'truth \\ predicted\s+setosa\s+versicolor\s+virginica') 'confusion matrix view'
Assert-True (($metrics | Out-String) -match 'Rows\s+Accuracy\s+MacroPrecision\s+MacroRecall\s+MacroF1') 'metrics view'
Assert-True (($metrics.PerClass | Out-String) -match 'ClassName\s+Precision\s+Recall\s+F1\s+Support') 'per-class view'

# Save: -WhatIf writes nothing, a second save is refused, -Force overwrites.
$path = Join-Path $Work 'iris.nn'
$model | Save-NeuralNet -Path $path -WhatIf
Assert-True (-not (Test-Path $path)) '-WhatIf wrote nothing'
$model | Save-NeuralNet -Path $path
Assert-True (Test-Path $path) 'saved'
$hash = (Get-FileHash $path).Hash
$refused = Get-ErrorRecord { $model | Save-NeuralNet -Path $path }
Assert-Equal 'ResourceExists' "$($refused.CategoryInfo.Category)" 'overwrite refused'
Assert-True ($refused.Exception.Message -match '-Force') 'the refusal says how to overwrite'
Assert-Equal $hash (Get-FileHash $path).Hash 'the refused save left the file as it was'
$file = $model | Save-NeuralNet -Path $path -Force -PassThru
Assert-Equal $path $file.FullName '-PassThru returns the file'
Assert-Equal 0 @(Get-ChildItem $Work -Force -Filter '*.tmp').Count 'no temporary files left'

# Import and predict again, identically.
$loaded = Import-NeuralNet -Path $path
Assert-Equal $model.Architecture $loaded.Architecture 'loaded architecture'
Assert-Equal $model.Epochs $loaded.Epochs 'loaded history'
$reloaded = $test | Invoke-Predict -Model $loaded
for ($i = 0; $i -lt $test.Count; $i++) {
    Assert-Equal $predicted[$i].PredictedLabel $reloaded[$i].PredictedLabel "row $i label after reload"
    Assert-Equal $predicted[$i].Probability $reloaded[$i].Probability "row $i probability after reload"
}
$viaPipeline = Get-ChildItem $path | Import-NeuralNet
Assert-Equal $loaded.Parameters $viaPipeline.Parameters 'Import-NeuralNet takes Get-ChildItem output'
$fromFileMetrics = $loaded | Measure-NeuralNet -Data $test -Label Species
Assert-Equal $metrics.Accuracy $fromFileMetrics.Accuracy 'metrics after reload'
$wholeFile = $loaded | Measure-NeuralNet -Path $iris -Label Species
Assert-Equal 150 $wholeFile.Rows 'Measure-NeuralNet -Path'

# -Path training gives the same model as the same rows piped in (the engine's CSV loader and the row reader agree).
$net = New-NeuralNet -HiddenLayers 8 -Seed 3
$fromFile = Invoke-NeuralNetTraining -Path $iris -Label Species -Network $net -Epochs 20
$fromRows = $all | Invoke-NeuralNetTraining -Label Species -Network $net -Epochs 20
Assert-Equal (($fromFile.Model.Network.Parameters) -join ',') (($fromRows.Model.Network.Parameters) -join ',') '-Path and pipeline train the same model'
$filePredictions = Invoke-Predict -Model $fromFile -Path $iris
Assert-Equal 150 @($filePredictions).Count 'Invoke-Predict -Path'

# Regression on hashtables, -Feature leaving a column out.
$rows = 0..59 | ForEach-Object { @{ X = $_ / 10; Noise = 'n/a'; Y = 2 * ($_ / 10) + 1 } }
$line = $rows | Invoke-Train -Label Y -Feature X -Network (New-NeuralNet -HiddenLayers @() -Task Regression -LearningRate 0.1 -Seed 1) -Epochs 400 -Convergence None
Assert-Equal 'X' ($line.Features -join ',') 'only the chosen feature'
Assert-True ($line.History[-1].R2 -gt 0.99) "regression R2 $($line.History[-1].R2)"
$value = (@{ X = 2 } | Invoke-Predict $line).PredictedValue
Assert-True ([math]::Abs($value - 5) -lt 0.2) "regression prediction $value"
$regression = $line | Measure-NeuralNet -Data ($rows | ForEach-Object { [pscustomobject]$_ })
Assert-True ($regression.Rmse -lt 0.2) "RMSE $($regression.Rmse)"

'SESSION OK'
