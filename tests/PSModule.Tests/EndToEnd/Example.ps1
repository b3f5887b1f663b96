# examples/PowerShell/iris-session.ps1 runs as the README says and produces the model and both charts.
param([string] $Module, [string] $Data, [string] $Work)
. (Join-Path $PSScriptRoot 'Common.ps1')

$output = & (Join-Path $PSScriptRoot '../examples/iris-session.ps1') -Module $Module -Data (Join-Path $Data 'iris.csv') -OutDirectory $Work | Out-String
Assert-True ($output -match '30 of 30 predictions identical') "the example predicts identically after reading back:`n$output"
foreach ($file in 'iris.nn', 'iris-training.svg', 'iris-petal-regions.svg') {
    Assert-True (Test-Path (Join-Path $Work $file)) "the example wrote $file"
}
'EXAMPLE OK'
