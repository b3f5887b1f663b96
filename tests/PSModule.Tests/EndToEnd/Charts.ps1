# Pictures: training curves for any model, decision regions for a two-feature one, written as SVG; -WhatIf and -NoClobber.
param([string] $Module, [string] $Data, [string] $Work)
. (Join-Path $PSScriptRoot 'Common.ps1')

Import-Module $Module
$iris = Import-Csv (Join-Path $Data 'iris.csv')
$model = $iris | Invoke-Train -Label Species -Network (New-NeuralNet -HiddenLayers 8 -Seed 1) -Epochs 30 -ValidationFraction 0.2

$curves = Join-Path $Work 'curves.svg'
$model | Export-NeuralNetChart $curves -WhatIf
Assert-True (-not (Test-Path $curves)) '-WhatIf wrote nothing'
$file = $model | Export-NeuralNetChart $curves -PassThru
Assert-Equal $curves $file.FullName '-PassThru'
[xml] $svg = Get-Content $curves -Raw
Assert-Equal 'svg' $svg.DocumentElement.LocalName 'an SVG document'
$text = Get-Content $curves -Raw
Assert-True ($text -match 'validation' -and $text -match 'Accuracy') 'loss and accuracy, with validation'
$e = Get-ErrorRecord { $model | Export-NeuralNetChart $curves -NoClobber }
Assert-True ($e.Exception.Message -match 'NoClobber') "-NoClobber: $($e.Exception.Message)"

# Decision regions need two features.
$e = Get-ErrorRecord { $model | Export-NeuralNetChart (Join-Path $Work 'iris-regions.svg') -Kind DecisionRegions -Data $iris }
Assert-True ($e.Exception.Message -match 'two features') "four features refused: $($e.Exception.Message)"
Assert-True (-not (Test-Path (Join-Path $Work 'iris-regions.svg'))) 'nothing written for a refused chart'

# Two blobs, two features: regions with the points on top.
$random = [System.Random]::new(3)
$blobs = 1..80 | ForEach-Object {
    $c = $_ % 2
    [pscustomobject]@{ X = 2 * $c - 1 + $random.NextDouble() - 0.5; Y = 1 - 2 * $c + $random.NextDouble() - 0.5; Class = ('left', 'right')[$c] }
}
$two = $blobs | Invoke-Train -Label Class -Network (New-NeuralNet -HiddenLayers 4 -Activation Tanh -Seed 1) -Epochs 50
$regions = Join-Path $Work 'regions.svg'
$two | Export-NeuralNetChart $regions -Kind DecisionRegions -Data $blobs -Resolution 40
$text = Get-Content $regions -Raw
Assert-True ($text -match 'class="heatmap"') 'a heat map of the regions'
Assert-True ($text -match 'P\(right\)') 'binary regions show the probability of the second class'
Assert-True ($text -match 'data-count="80"') 'all 80 points drawn'

'CHARTS OK'
