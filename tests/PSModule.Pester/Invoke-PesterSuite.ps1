# Runs the module's Pester suite (every *.Tests.ps1 here) against the module as the build laid it out, and closes with one
# line of counts for test.sh: "Pester: N passed, N failed, N skipped". Exits 1 when anything failed, including a block or a
# whole file that could not run, so a failure can never be mistaken for a pass.
#   -TestOutput  the output folder of tests/PSModule.Tests, which holds the module (MLNetNN/), the data (data/) and Pester (Pester/)
param([Parameter(Mandatory)] [string] $TestOutput)
$ErrorActionPreference = 'Stop'
$TestOutput = (Resolve-Path -LiteralPath $TestOutput).ProviderPath

Import-Module (Join-Path $TestOutput 'Pester' 'Pester.psd1') -MinimumVersion 5.7 -Force
$data = @{ Module = (Join-Path $TestOutput 'MLNetNN' 'MLNetNN.psd1'); Data = (Join-Path $TestOutput 'data') }
$configuration = New-PesterConfiguration
$configuration.Run.Container = @(Get-ChildItem $PSScriptRoot -Filter '*.Tests.ps1' | ForEach-Object { New-PesterContainer -Path $_.FullName -Data $data })
$configuration.Run.PassThru = $true
$configuration.Output.Verbosity = 'Detailed'
if ([Console]::IsOutputRedirected) { $configuration.Output.RenderMode = 'Plaintext' }   # a log, not a terminal
$result = Invoke-Pester -Configuration $configuration

# A failure in BeforeAll fails its block without counting its tests as failed: count such blocks and files as failures.
$failed = $result.FailedCount + $result.FailedBlocksCount + $result.FailedContainersCount
"Pester: $($result.PassedCount) passed, $failed failed, $($result.SkippedCount + $result.NotRunCount) skipped"
# A run that found no tests (a renamed file, a broken discovery) is a failure too.
exit ([int]($failed -gt 0 -or $result.Result -ne 'Passed' -or $result.PassedCount -eq 0))
