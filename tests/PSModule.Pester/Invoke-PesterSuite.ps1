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

# A file that cannot run has no tests to fail, an AfterAll that throws fails its block after its tests passed, and a run that
# found no tests (a renamed file, a broken discovery) passes nothing: each counts as a failure, so the counts never read as a
# pass when the run was not one.
$failed = $result.FailedCount + $result.FailedContainersCount
if ($failed -eq 0 -and ($result.Result -ne 'Passed' -or $result.PassedCount -eq 0)) { $failed = 1 }
"Pester: $($result.PassedCount) passed, $failed failed, $($result.SkippedCount + $result.NotRunCount) skipped"
exit ([int]($failed -gt 0))
