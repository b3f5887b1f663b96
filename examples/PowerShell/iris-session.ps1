<#
.SYNOPSIS
    The MLNetNN PowerShell session on the Iris data: train with progress, read the history, predict, measure, save,
    read back, predict again identically, and draw the training curves and decision regions as SVG.

.DESCRIPTION
    Build the module first, then run this script from the repository root:

        dotnet build src/PSModule -c Release
        pwsh examples/PowerShell/iris-session.ps1

    Press Ctrl+C during training to stop it: the best model so far is kept in $LastNeuralNet.

.PARAMETER Module
    The module manifest; by default the Release build output.

.PARAMETER Data
    The Iris CSV file.

.PARAMETER OutDirectory
    Where the model file and the SVG charts go.
#>
param(
    [string] $Module = (Join-Path $PSScriptRoot '../../src/PSModule/bin/Release/net8.0/MLNetNN.psd1'),
    [string] $Data = (Join-Path $PSScriptRoot '../data/iris.csv'),
    [string] $OutDirectory = (Join-Path ([System.IO.Path]::GetTempPath()) 'mlnetnn-iris-session')
)
$ErrorActionPreference = 'Stop'
if (-not (Test-Path $Module)) { throw "The module is not built at $Module. Build it first: dotnet build src/PSModule -c Release" }
Import-Module $Module
$null = New-Item -ItemType Directory -Force $OutDirectory

# Hold out 30 of the 150 rows to measure the model on rows it never saw.
$rows  = Import-Csv $Data
$mixed = Get-Random -InputObject $rows -Count $rows.Count -SetSeed 1
$train = $mixed[0..119]
$test  = $mixed[120..149]

# Train: a progress bar per epoch (loss, validation loss, accuracy, time left); add -Verbose for one line per epoch.
$net   = New-NeuralNet -HiddenLayers 16,8 -Activation ReLU -Task Multiclass -LearningRate 0.01 -Seed 1
$model = $train | Invoke-Train -Network $net -Label Species -Epochs 200 -ValidationFraction 0.2
$model | Format-Table
$model.Message
$model.History | Select-Object -Last 5 | Format-Table Epoch, TrainLoss, ValidationLoss, Accuracy

# Predict: the prediction is merged onto each input row.
$predicted = $test | Invoke-Predict -Model $model
$predicted | Select-Object -First 8 Species, PredictedLabel, Probability | Format-Table

# Measure on the held-out rows.
$metrics = $model | Measure-NeuralNet -Data $test
$metrics | Format-Table
$metrics.PerClass | Format-Table
$metrics.ConfusionMatrix | Out-Host

# Save (-WhatIf first: it only says what it would do), read back, predict again.
$path = Join-Path $OutDirectory 'iris.nn'
$model | Save-NeuralNet -Path $path -WhatIf
$model | Save-NeuralNet -Path $path -Force
$loaded = Import-NeuralNet -Path $path
$again = $test | Invoke-Predict -Model $loaded
$same = @(0..($test.Count - 1) | Where-Object { $predicted[$_].Probability -eq $again[$_].Probability }).Count
"Read back from ${path}: $same of $($test.Count) predictions identical."

# Pictures: the training curves, and the decision regions of a model on the two petal measurements.
$curves = $model | Export-NeuralNetChart (Join-Path $OutDirectory 'iris-training.svg') -PassThru
$petals = $train | Invoke-Train -Label Species -Feature PetalLength, PetalWidth -Network $net -Epochs 200
$regions = $petals | Export-NeuralNetChart (Join-Path $OutDirectory 'iris-petal-regions.svg') -Kind DecisionRegions -Data $rows -PassThru
"Charts: $($curves.FullName), $($regions.FullName)"
