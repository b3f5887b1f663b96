# The module as a user meets it: Import-Module shows no warning (approved verbs), exports exactly the manifest's
# commands, aliases resolve, help has examples for every cmdlet, and parameters tab-complete their enum values.
param([string] $Module, [string] $Data, [string] $Work)
. (Join-Path $PSScriptRoot 'Common.ps1')

$imported = Import-Module $Module -PassThru -WarningVariable importWarnings 3>$null
Assert-Equal 0 $importWarnings.Count "Import-Module warnings: $importWarnings"
Assert-Equal '0.1.0' "$($imported.Version)" 'module version'

$manifest = Import-PowerShellDataFile $Module
$exported = (Get-Command -Module MLNetNN -CommandType Cmdlet).Name | Sort-Object
Assert-Equal (($manifest.CmdletsToExport | Sort-Object) -join ',') ($exported -join ',') 'exported cmdlets'
Assert-Equal 'Invoke-NeuralNetTraining' (Get-Alias Invoke-Train).ResolvedCommandName 'Invoke-Train alias'
Assert-Equal 'Invoke-NeuralNetPrediction' (Get-Alias Invoke-Predict).ResolvedCommandName 'Invoke-Predict alias'
$verbs = (Get-Verb).Verb
foreach ($command in $exported) { Assert-True ($verbs -contains $command.Split('-')[0]) "$command uses an approved verb" }

foreach ($command in $manifest.CmdletsToExport) {
    $help = Get-Help $command -Full
    Assert-True (@($help.examples.example).Count -ge 1) "$command has examples"
    Assert-True ($help.Synopsis -and $help.Synopsis -notmatch '^\s*\S+ \[') "$command has a synopsis: $($help.Synopsis)"
    foreach ($p in (Get-Command $command).Parameters.Values | Where-Object { $_.Name -notin [System.Management.Automation.PSCmdlet]::CommonParameters -and $_.Name -notin [System.Management.Automation.PSCmdlet]::OptionalCommonParameters }) {
        Assert-True ($null -ne ($help.parameters.parameter | Where-Object name -eq $p.Name)) "$command -$($p.Name) is documented"
    }
}
$full = Get-Help New-NeuralNet -Full | Out-String
Assert-True ($full -match 'EXAMPLES' -or $full -match 'Example 1') 'Get-Help -Full shows examples'

# Enum parameters tab-complete.
$completion = TabExpansion2 -inputScript 'New-NeuralNet -Activation Re' -cursorColumn 'New-NeuralNet -Activation Re'.Length
Assert-True (@($completion.CompletionMatches.CompletionText) -contains 'ReLU') 'activation completes'
$completion = TabExpansion2 -inputScript 'New-NeuralNet -Task M' -cursorColumn 'New-NeuralNet -Task M'.Length
Assert-True (@($completion.CompletionMatches.CompletionText) -contains 'Multiclass') 'task completes'

# Parameter sets: pipeline rows or -Path, not both.
$e = Get-ErrorRecord { Import-Csv (Join-Path $Data 'iris.csv') | Invoke-Train -Path (Join-Path $Data 'iris.csv') -Label Species }
Assert-True ($e.FullyQualifiedErrorId -like 'InputObjectNotBound*' -or $e.FullyQualifiedErrorId -like 'AmbiguousParameterSet*') "pipeline plus -Path: $($e.FullyQualifiedErrorId)"
$syntax = (Get-Command Invoke-NeuralNetTraining).ParameterSets.Name | Sort-Object
Assert-Equal 'InputObject,Path' ($syntax -join ',') 'parameter sets'

'MODULE OK'
