# Every example in the module's help runs, as a reader would paste it: each in a fresh runspace and a fresh folder holding
# the files the examples name (iris.csv, new.csv, iris-test.csv, iris.nn, models/) and the variables they take from the
# examples before them ($data, $model, $test). So the help cannot drift from what the cmdlets do.
param([Parameter(Mandatory)] [string] $Module, [Parameter(Mandatory)] [string] $Data)

BeforeDiscovery {
    [xml] $help = Get-Content -Raw (Join-Path (Split-Path $Module) 'en-US' 'MLNetNN.PowerShell.dll-Help.xml')
    $examples = foreach ($command in $help.helpItems.command) {
        $number = 0
        foreach ($example in $command.examples.example) {
            $number++
            @{ Command = $command.details.name; Number = $number; Code = $example.code }
        }
    }
}

BeforeAll {
    Import-Module $Module -Force
    $script:help = [xml] (Get-Content -Raw (Join-Path (Split-Path $Module) 'en-US' 'MLNetNN.PowerShell.dll-Help.xml'))
    $script:fixture = New-Item (Join-Path $TestDrive 'fixture') -ItemType Directory
    Copy-Item (Join-Path $Data 'iris.csv') $fixture
    $script:iris = Import-Csv (Join-Path $fixture 'iris.csv')
    $iris | Select-Object * -ExcludeProperty Species | Export-Csv (Join-Path $fixture 'new.csv')
    $iris[112..149] | Export-Csv (Join-Path $fixture 'iris-test.csv')
    $script:fixtureModel = $iris | Invoke-Train -Label Species -Network (New-NeuralNet -HiddenLayers 8 -LearningRate 0.01 -Seed 1) -Epochs 50 -ProgressAction SilentlyContinue

    # Runs $Code in a new runspace whose location is a copy of the fixture folder, with $data, $model and $test set as the
    # examples before it leave them and errors made terminating. The model files are there unless the code saves its own.
    # A line "# press Ctrl+C ..." splits the code: the part before it is stopped (as Ctrl+C stops it) once training reports
    # progress, then the rest runs. Returns the PowerShell instance (for its variables and streams) and all it printed.
    function script:Invoke-HelpExample([string] $Code) {
        $work = New-Item (Join-Path $TestDrive ([guid]::NewGuid().ToString('N'))) -ItemType Directory
        Copy-Item (Join-Path $fixture '*') $work
        if ($Code -notmatch 'Save-NeuralNet') {
            $fixtureModel | Save-NeuralNet (Join-Path $work 'iris.nn')
            $models = New-Item (Join-Path $work 'models') -ItemType Directory
            Copy-Item (Join-Path $work 'iris.nn') $models
        }
        $ps = [powershell]::Create()
        try {
            $null = $ps.AddScript({
                param($module, $work, $model)
                Import-Module $module
                Set-Location $work
                $global:data = Import-Csv ./iris.csv
                $global:test = $data[112..149]
                $global:model = $model
                $global:ErrorActionPreference = 'Stop'
                $global:ProgressPreference = 'SilentlyContinue'
            }).AddArgument($Module).AddArgument($work.FullName).AddArgument($fixtureModel)
            $null = $ps.Invoke()
            $parts = $Code -split '(?m)^#.*Ctrl\+C.*$'
            if ($parts.Count -gt 1) {
                $ps.Commands.Clear()
                $null = $ps.AddScript('$global:ProgressPreference = "Continue"').AddStatement().AddScript($parts[0])
                $async = $ps.BeginInvoke()
                $deadline = [datetime]::UtcNow.AddMinutes(2)
                while ($ps.Streams.Progress.Count -eq 0 -and -not $async.IsCompleted -and [datetime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 20 }
                $ps.Stop()
                "$($ps.InvocationStateInfo.State)" | Should -Be 'Stopped' -Because 'the example runs until Ctrl+C'
            }
            $ps.Commands.Clear()
            $output = $ps.AddScript($parts[-1]).AddCommand('Out-String').Invoke() -join ''
            $ps.Streams.Error | Should -BeNullOrEmpty
            return @{ PowerShell = $ps; Output = $output }
        } catch { $ps.Dispose(); throw }
    }
}

Describe 'Help example <Command> #<Number>' -ForEach $examples {
    It 'runs without error and prints what it says it does' {
        $run = Invoke-HelpExample $Code
        try {
            # Unless its last line stores a value or writes a file, an example shows something.
            $last = ($Code.Trim() -split '\r?\n')[-1]
            $quiet = $last -match '^\$\w+\s*=' -or ($last -match 'Save-NeuralNet|Export-NeuralNetChart|Export-Csv' -and $last -notmatch '-PassThru')
            if (-not $quiet) { $run.Output | Should -Not -BeNullOrEmpty }
        } finally { $run.PowerShell.Dispose() }
    }
}

Describe 'What the help examples show' {
    It "Measure-NeuralNet's first example holds out rows of every species and measures a well-trained model" {
        $code = $help.helpItems.command | Where-Object { $_.details.name -eq 'Measure-NeuralNet' } | ForEach-Object { $_.examples.example[0].code }
        $run = Invoke-HelpExample "$code | Set-Variable metrics -Scope Global"
        try {
            $test = $run.PowerShell.Runspace.SessionStateProxy.GetVariable('test')
            $metrics = $run.PowerShell.Runspace.SessionStateProxy.GetVariable('metrics')
            foreach ($group in $test | Group-Object Species) { $group.Count | Should -BeGreaterOrEqual 5 -Because "the test rows have $($group.Count) $($group.Name)" }
            @($test | Group-Object Species).Count | Should -Be 3
            $metrics.Accuracy | Should -BeGreaterOrEqual 0.9
        } finally { $run.PowerShell.Dispose() }
    }

    It 'the Ctrl+C example leaves the best model so far in $LastNeuralNet' {
        $code = $help.helpItems.command | Where-Object { $_.details.name -eq 'Invoke-NeuralNetTraining' } | ForEach-Object { $_.examples.example.code } | Where-Object { $_ -match 'Ctrl\+C' }
        $run = Invoke-HelpExample $code
        try {
            "$($run.PowerShell.Runspace.SessionStateProxy.GetVariable('model').StopReason)" | Should -Be 'Cancelled'
        } finally { $run.PowerShell.Dispose() }
    }

    It 'the session in about_MLNetNN runs with the module found by name' {
        $topic = Get-Content -Raw (Join-Path (Split-Path $Module) 'en-US' 'about_MLNetNN.help.txt')
        $session = [regex]::Match($topic, '(?ms)^A SESSION\r?\n(?<code>.*?)\r?\n\r?\n').Groups['code'].Value -replace '(?m)^    ', ''
        $session | Should -Match 'Import-Module MLNetNN'
        $before = $env:PSModulePath
        try {
            # The module folder is named MLNetNN, so its parent on PSModulePath lets `Import-Module MLNetNN` find it.
            $env:PSModulePath = (Split-Path (Split-Path $Module)) + [IO.Path]::PathSeparator + $before
            $run = Invoke-HelpExample $session
        } finally { $env:PSModulePath = $before }
        try {
            $run.Output | Should -Match 'Accuracy'
            $run.Output | Should -Match 'PredictedLabel'
        } finally { $run.PowerShell.Dispose() }
    }
}
