# Bad input: every failure is an error record with a category, a target and a message naming the row and column;
# none is a bare .NET stack trace, and none leaves a half-written model file.
param([string] $Module, [string] $Data, [string] $Work)
. (Join-Path $PSScriptRoot 'Common.ps1')

Import-Module $Module
$iris = Join-Path $Data 'iris.csv'
$rows = Import-Csv $iris

function Assert-Readable($Record, [string] $Pattern, [string] $Category, [string] $What) {
    $message = $Record.Exception.Message
    Assert-True ($message -match $Pattern) "$What message: $message"
    Assert-Equal $Category "$($Record.CategoryInfo.Category)" "$What category"
    Assert-True ($message -notmatch '\bat MLNetNN\.' -and $message -notmatch 'Exception:') "$What shows a stack trace: $message"
}

# A non-numeric feature names the row and the column, and the record points at the row.
$bad = $rows | ForEach-Object { $_.PSObject.Copy() }
$bad[6].PetalWidth = 'abc'
$e = Get-ErrorRecord { $bad | Invoke-Train -Label Species -Epochs 1 }
Assert-Readable $e "^Row 7, column 'PetalWidth': 'abc' is not a number" 'InvalidData' 'non-numeric feature'
Assert-Equal 'InvalidTrainingRow,MLNetNN.PowerShell.Cmdlets.InvokeNeuralNetTrainingCommand' $e.FullyQualifiedErrorId 'error id'
Assert-True ([object]::ReferenceEquals($e.TargetObject.PSObject.BaseObject, $bad[6].PSObject.BaseObject)) 'the error targets the bad row'

# A missing label names the row and lists its columns.
$e = Get-ErrorRecord { $rows | Invoke-Train -Label Specie -Epochs 1 }
Assert-Readable $e "^Row 1, column 'Specie': the row has no label column 'Specie'; its columns are 'SepalLength'" 'InvalidData' 'missing label'

# In a file, the engine's loader names the file, line and column.
$csv = Join-Path $Work 'bad.csv'
"a,b,y`n1,2,x`n3,oops,y" | Set-Content $csv
$e = Get-ErrorRecord { Invoke-Train -Path $csv -Label y -Epochs 1 }
Assert-Readable $e "bad.csv, line 3, column 'b': 'oops' is not a number" 'InvalidData' 'CSV file'
$e = Get-ErrorRecord { Invoke-Train -Path (Join-Path $Work 'missing.csv') -Label y }
Assert-Readable $e 'missing.csv' 'ObjectNotFound' 'missing CSV file'

# Settings out of range are refused by name before any data is read.
$e = Get-ErrorRecord { New-NeuralNet -LearningRate -1 }
Assert-Readable $e '-LearningRate -1 is not allowed: it must be positive' 'InvalidArgument' 'learning rate'
$e = Get-ErrorRecord { New-NeuralNet -Activation Softmax }
Assert-Readable $e '-Activation Softmax is not allowed for hidden layers' 'InvalidData' 'hidden softmax'
$e = Get-ErrorRecord { $rows | Invoke-Train -Label Species -Epochs 0 }
Assert-True ($e.FullyQualifiedErrorId -like 'ParameterArgumentValidationError*') 'parameter validation rejects -Epochs 0'
$e = Get-ErrorRecord { $rows | Invoke-Train -Label Species -Network (New-NeuralNet -Task Binary) -Epochs 1 }
Assert-Readable $e 'Binary classification needs exactly two classes; the training data has 3' 'InvalidArgument' 'binary on three classes'

# One class is not enough; regression needs numeric targets.
$e = Get-ErrorRecord { $rows[0..9] | Invoke-Train -Label Species -Epochs 1 }
Assert-Readable $e 'at least two classes' 'InvalidArgument' 'single class'
$e = Get-ErrorRecord { $rows | Invoke-Train -Label Species -Network (New-NeuralNet -Task Regression) -Epochs 1 }
Assert-Readable $e "^Row 1, column 'Species': 'setosa' is not a number" 'InvalidData' 'text regression target'

# Text numbers do not depend on the culture.
$net = New-NeuralNet -HiddenLayers 4 -Seed 2
$invariant = $rows | Invoke-Train -Label Species -Network $net -Epochs 5
[System.Globalization.CultureInfo]::CurrentCulture = 'de-DE'
$german = $rows | Invoke-Train -Label Species -Network $net -Epochs 5
[System.Globalization.CultureInfo]::CurrentCulture = [System.Globalization.CultureInfo]::InvariantCulture
Assert-Equal ($invariant.Model.Network.Parameters -join ',') ($german.Model.Network.Parameters -join ',') 'same model under de-DE'

# Divergence is an InvalidResult error saying what to do, and the last good model is kept.
$diverging = New-NeuralNet -Optimizer Sgd -LearningRate 1e30 -Scaling None -Seed 1
$out = $rows | Invoke-Train -Label Species -Network $diverging -Epochs 20 -ErrorAction SilentlyContinue -ErrorVariable divergence
Assert-True ($null -eq $out) 'a diverged run writes no model to the pipeline'
Assert-Readable $divergence[0] 'The training loss became NaN' 'InvalidResult' 'divergence'
Assert-True ($divergence[0].ErrorDetails.RecommendedAction -match 'Lower -LearningRate') 'divergence says what to do'
Assert-Equal 'Diverged' "$($global:LastNeuralNet.StopReason)" 'the last good model is in $LastNeuralNet'

# Prediction: a bad row is reported against that row, and the others are still predicted.
$model = $rows | Invoke-Train -Label Species -Network $net -Epochs 5
$mixed = @($rows[0], [pscustomobject]@{ SepalLength = 1; SepalWidth = 2; PetalLength = 3 }, $rows[2])
$out = $mixed | Invoke-Predict $model -ErrorAction SilentlyContinue -ErrorVariable predictErrors
Assert-Equal 2 @($out).Count 'the good rows are predicted'
Assert-Equal 1 $predictErrors.Count 'one error'
Assert-Readable $predictErrors[0] "^Row 2, column 'PetalWidth': the row has no column 'PetalWidth'" 'InvalidData' 'missing feature'
Assert-True ([object]::ReferenceEquals($predictErrors[0].TargetObject.PSObject.BaseObject, $mixed[1].PSObject.BaseObject)) 'the error targets the bad row'

# Measuring with labels the model does not know.
$e = Get-ErrorRecord { $model | Measure-NeuralNet -Data ([pscustomobject]@{ SepalLength = 1; SepalWidth = 2; PetalLength = 3; PetalWidth = 4; Species = 'rosa' }) }
Assert-Readable $e "'rosa' is not one of the model's classes: setosa, versicolor, virginica" 'InvalidData' 'unknown class'

# Model files: a damaged or foreign file is InvalidData naming the file; a missing one is ObjectNotFound.
$junk = Join-Path $Work 'junk.nn'
'not a model' | Set-Content $junk
$e = Get-ErrorRecord { Import-NeuralNet $junk }
Assert-Readable $e 'junk.nn: not an MLNetNN model file' 'InvalidData' 'foreign file'
$good = Join-Path $Work 'good.nn'
$model | Save-NeuralNet $good
$bytes = [System.IO.File]::ReadAllBytes($good)
[System.IO.File]::WriteAllBytes((Join-Path $Work 'truncated.nn'), $bytes[0..($bytes.Length - 10)])
$e = Get-ErrorRecord { Import-NeuralNet (Join-Path $Work 'truncated.nn') }
Assert-Readable $e 'truncated' 'InvalidData' 'truncated file'
$e = Get-ErrorRecord { Import-NeuralNet (Join-Path $Work 'nothing.nn') }
Assert-Equal 'ObjectNotFound' "$($e.CategoryInfo.Category)" 'missing model file'
$e = Get-ErrorRecord { Import-NeuralNet $good | Measure-NeuralNet -Data $rows }
Assert-Readable $e 'does not record the label column; give it with -Label' 'InvalidArgument' 'label of a model read from a file'

# Saving into a folder that does not exist fails and leaves nothing behind.
$e = Get-ErrorRecord { $model | Save-NeuralNet (Join-Path $Work 'no/such/folder/m.nn') }
Assert-Readable $e 'does not exist' 'ObjectNotFound' 'missing folder'
Assert-True (-not (Test-Path (Join-Path $Work 'no'))) 'no folder or file was created'
Assert-Equal 0 @(Get-ChildItem $Work -Recurse -Force -Filter '*.tmp').Count 'no temporary files left'

'ERRORS OK'
