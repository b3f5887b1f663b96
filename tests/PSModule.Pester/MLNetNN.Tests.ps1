# The module as a PowerShell user meets it, cmdlet by cmdlet: what each returns, how it validates its parameters, what it
# writes (and, under -WhatIf, does not), and the error records bad input gives. The scripted sessions in
# tests/PSModule.Tests/EndToEnd cover whole workflows; these are the per-cmdlet contracts.
param([Parameter(Mandatory)] [string] $Module, [Parameter(Mandatory)] [string] $Data)

BeforeAll {
    Import-Module $Module -Force
    $script:irisPath = Join-Path $Data 'iris.csv'
    $script:iris = Import-Csv $irisPath
    # Every tenth row held out: 15 rows, five of each species.
    $script:test = @(for ($i = 0; $i -lt 150; $i += 10) { $iris[$i] })
    $script:train = @($iris | Where-Object { $test -notcontains $_ })
    $script:model = $train | Invoke-Train -Label Species -Network (New-NeuralNet -HiddenLayers 8 -LearningRate 0.01 -Seed 1) -Epochs 100 -ProgressAction SilentlyContinue

    # Runs $Script, which must fail, and returns its error record (non-terminating errors are made terminating:
    # a script block takes no -ErrorAction, so the preference is set here, for this function's scope only).
    function script:Get-ErrorRecord([scriptblock] $Script) {
        $ErrorActionPreference = 'Stop'
        try { & $Script | Out-Null } catch { return $_ }
        throw "expected an error from { $Script }"
    }
}

AfterAll {
    Remove-Module MLNetNN -Force -ErrorAction SilentlyContinue
}

Describe 'Import-Module MLNetNN' {
    It 'imports into a new runspace without warnings or errors' {
        $ps = [powershell]::Create()
        try {
            $imported = $ps.AddCommand('Import-Module').AddParameter('Name', $Module).AddParameter('PassThru').Invoke()
            $ps.Streams.Warning | Should -BeNullOrEmpty
            $ps.Streams.Error | Should -BeNullOrEmpty
            "$($imported[0].Version)" | Should -Be '0.1.0'
        } finally { $ps.Dispose() }
    }

    It 'exports the cmdlets and aliases its manifest lists, and nothing else' {
        $manifest = Import-PowerShellDataFile $Module
        (Get-Command -Module MLNetNN -CommandType Cmdlet).Name | Sort-Object | Should -Be ($manifest.CmdletsToExport | Sort-Object)
        (Get-Command -Module MLNetNN -CommandType Alias).Name | Sort-Object | Should -Be ($manifest.AliasesToExport | Sort-Object)
        (Get-Command -Module MLNetNN -CommandType Function) | Should -BeNullOrEmpty
    }

    It 'has an about_MLNetNN help topic that introduces the module and names every cmdlet' {
        $topic = Get-Help about_MLNetNN | Out-String
        $topic | Should -Match 'about_MLNetNN'
        foreach ($cmdlet in (Import-PowerShellDataFile $Module).CmdletsToExport) { $topic | Should -Match ([regex]::Escape($cmdlet)) }
    }
}

Describe 'New-NeuralNet' {
    It 'returns a specification with the engine defaults for what is left out' {
        $net = New-NeuralNet
        $net.HiddenLayers | Should -Be @(100)
        "$($net.Activation)" | Should -Be 'ReLU'
        "$($net.Optimizer)" | Should -Be 'Adam'
        $net.LearningRate | Should -Be ([single] 0.001)
    }

    It 'takes every default from the engine''s one Defaults set, batch size included' {
        $net = New-NeuralNet
        $net.Options.BatchSize | Should -Be ([MLNetNN.Training.Defaults]::BatchSize)
        $net.Options.Epochs | Should -Be ([MLNetNN.Training.Defaults]::Epochs)
        $net.Options.BatchSize | Should -Be 32
    }

    It 'takes the layers as its first positional parameter, and an empty array for no hidden layer' {
        (New-NeuralNet 16, 8).HiddenLayers | Should -Be @(16, 8)
        (New-NeuralNet -HiddenLayers @()).HiddenLayers | Should -BeNullOrEmpty
    }

    It 'warns that -Momentum applies only to Sgd when the optimiser is <Optimizer> (named: <Given>), and not with Sgd' -TestCases @(
        @{ Optimizer = 'Adam'; Given = $true }, @{ Optimizer = 'Adam'; Given = $false }, @{ Optimizer = 'RMSProp'; Given = $true }
    ) {
        # Adam is the default optimiser: -Momentum with it left out is the case users meet.
        $arguments = @{ Momentum = 0.9 }
        if ($Given) { $arguments.Optimizer = $Optimizer }
        $net = New-NeuralNet @arguments -WarningVariable warnings -WarningAction SilentlyContinue
        "$($net.Optimizer)" | Should -Be $Optimizer
        @($warnings).Count | Should -Be 1
        "$($warnings[0])" | Should -BeLike '-Momentum *applies only to the Sgd and GradientDescent optimisers*'
        "$($warnings[0])" | Should -BeLike "*$Optimizer ignores it*"
        $null = New-NeuralNet -Optimizer Sgd -Momentum 0.9 -WarningVariable sgdWarnings -WarningAction SilentlyContinue
        $null = New-NeuralNet -Optimizer GradientDescent -Momentum 0.9 -WarningVariable gdWarnings -WarningAction SilentlyContinue
        $null = New-NeuralNet -Optimizer $Optimizer -WarningVariable plainWarnings -WarningAction SilentlyContinue
        @($sgdWarnings; $gdWarnings; $plainWarnings) | Should -BeNullOrEmpty
    }

    It 'warns that -LearningRate and -Schedule do not apply to Lbfgs, naming its parameters' {
        $net = New-NeuralNet -Optimizer Lbfgs -LearningRate 0.01 -Schedule StepDecay -WarningVariable warnings -WarningAction SilentlyContinue
        "$($net.Optimizer)" | Should -Be 'Lbfgs'
        @($warnings | ForEach-Object { "$_" }) | Should -Be @(
            '-LearningRate 0.01 does not apply to the Lbfgs optimiser, whose line search chooses every step.',
            '-Schedule StepDecay does not apply to the Lbfgs optimiser, whose line search chooses every step.')
        $null = New-NeuralNet -Optimizer Lbfgs -WarningVariable lbfgsWarnings -WarningAction SilentlyContinue
        $lbfgsWarnings | Should -BeNullOrEmpty
    }

    It 'refuses -<Name> <Value> in its own words, targeting the value' -TestCases @(
        @{ Name = 'LearningRate'; Value = 0; Message = '-LearningRate 0 is not allowed: it must be positive.' }
        @{ Name = 'LearningRate'; Value = [single]::NaN; Message = '-LearningRate NaN is not allowed: it must be positive.' }
        @{ Name = 'L2'; Value = -1; Message = '-L2 -1 is not allowed: it must be finite and not negative.' }
        @{ Name = 'L1'; Value = -0.5; Message = '-L1 -0.5 is not allowed: it must be finite and not negative.' }
    ) {
        $parameters = @{ $Name = $Value }
        $e = Get-ErrorRecord { New-NeuralNet @parameters }
        $e.Exception.Message | Should -BeExactly $Message
        "$($e.CategoryInfo.Category)" | Should -Be 'InvalidArgument'
        $e.FullyQualifiedErrorId | Should -BeLike 'InvalidNetworkSetting,*'
        "$($e.TargetObject)" | Should -Be "$([single] $Value)"
    }

    It 'refuses -Activation <Value> for hidden layers in parameter validation, listing the choices' -TestCases @(
        @{ Value = 'Softmax'; Problem = 'is not allowed for hidden layers' }, @{ Value = 'Step'; Problem = 'is not allowed for hidden layers' }
        @{ Value = 'NoSuchValue'; Problem = 'is not an activation' }, @{ Value = '7'; Problem = 'is not an activation' }
    ) {
        $e = Get-ErrorRecord { New-NeuralNet -Activation $Value }
        $e.FullyQualifiedErrorId | Should -BeLike 'ParameterArgumentValidationError,*'
        $e.Exception.Message | Should -Match "-Activation $Value $Problem"
        $e.Exception.Message | Should -Match 'Choose Identity, Sigmoid, Tanh, ReLU, LeakyReLU, ELU or Softplus\.'
        $e.Exception.Message | Should -Not -MatchExactly 'HiddenActivation|\(Parameter |Actual value'
    }

    It 'takes layers of several kinds in the text form and trains them, naming a bad layer and its position' {
        $net = New-NeuralNet -Layers 'dense8,bn,dropout0.2' -Activation tanh -Seed 1
        $net.Layers | Should -Be 'dense8:tanh,bn,dropout0.2'
        $trained = $train | Invoke-Train -Label Species -Network $net -Epochs 5 -ProgressAction SilentlyContinue
        $trained.Architecture | Should -Be '4-8-bn-dropout0.2-3'
        $e = Get-ErrorRecord { New-NeuralNet -Layers 'dense8,dropuot0.2' }
        $e.Exception.Message | Should -BeLike "*-Layers dense8,dropuot0.2 is not allowed: In layer 2 ('dropuot0.2', at character 8)*"
        $e.FullyQualifiedErrorId | Should -BeLike 'ParameterArgumentValidationError,*'
        (Get-ErrorRecord { New-NeuralNet -Layers 'dense8' -HiddenLayers 4 }).Exception.Message | Should -BeLike '*replaces -HiddenLayers*'
    }

    It 'takes -Activation in any case' {
        "$((New-NeuralNet -Activation tanh).Activation)" | Should -Be 'Tanh'
    }

    It 'completes -Activation with the hidden activations only' {
        $all = (TabExpansion2 'New-NeuralNet -Activation ' 26).CompletionMatches.CompletionText
        $all | Should -Contain 'ReLU'
        $all | Should -Contain 'Tanh'
        $all | Should -Not -Contain 'Softmax'
        $all | Should -Not -Contain 'Step'
        (TabExpansion2 'New-NeuralNet -Activation s' 27).CompletionMatches.CompletionText | Should -Be @('Sigmoid', 'Softplus')
    }

    It 'refuses a hidden layer of <Units> units in parameter validation' -TestCases @(@{ Units = 0 }, @{ Units = -3 }) {
        (Get-ErrorRecord { New-NeuralNet -HiddenLayers 4, $Units }).FullyQualifiedErrorId | Should -BeLike 'ParameterArgumentValidationError,*'
    }

    It 'takes -Layers as PowerShell''s list as well as one text' {
        (New-NeuralNet -Layers dense16,dropout0.5,bn).Layers | Should -Be 'dense16:relu,dropout0.5,bn'
        (New-NeuralNet -Layers 'dense16', 'dropout0.5').Layers | Should -Be 'dense16:relu,dropout0.5'
        (Get-ErrorRecord { New-NeuralNet -Layers dense16,dropuot0.5 }).Exception.Message | Should -BeLike "*In layer 2 ('dropuot0.5', at character 9)*"
    }

    It 'takes -Layers of several kinds in the text form, whose dense layers take -Activation' {
        $net = New-NeuralNet -Layers 'dense16,dropout0.5,bn,dense8:relu' -Activation Tanh -Seed 1
        $net.Layers | Should -Be 'dense16:tanh,dropout0.5,bn,dense8:relu'
        ($net.Options.Layers | ForEach-Object { "$($_.Kind)" }) | Should -Be @('Dense', 'Dropout', 'BatchNormalization', 'Dense')
        "$net" | Should -BeLike 'Auto dense16:tanh,dropout0.5,bn,dense8:relu, Adam*'
        (New-NeuralNet).Layers | Should -BeNullOrEmpty
    }

    It 'takes -InputShape as height, width and channels, or in the Quickstart''s form' {
        $net = New-NeuralNet -Layers 'conv4x3:same,pool2,flatten,dense8' -InputShape 28,28,1
        "$($net.InputShape)" | Should -Be '28x28x1'
        "$((New-NeuralNet -Layers 'flatten,dense8' -InputShape 28x28x1).InputShape)" | Should -Be '28x28x1'
        "$(New-NeuralNet -Layers 'flatten,dense8' -InputShape 28,28,1 -Task Binary)" | Should -BeLike 'Binary 28x28x1 flatten,dense8:relu, Adam*'
    }

    It 'refuses -Layers <Layers> in parameter validation, naming the layer and its position' -TestCases @(
        @{ Layers = 'dense16,dropuot0.5'; Named = "layer 2 ('dropuot0.5', at character 9)" }
        @{ Layers = 'dense16,dropout1.5'; Named = "layer 2 ('dropout1.5', at character 9)" }
        @{ Layers = 'dense0'; Named = "layer 1 ('dense0', at character 1)" }
    ) {
        $e = Get-ErrorRecord { New-NeuralNet -Layers $Layers }
        $e.FullyQualifiedErrorId | Should -BeLike 'ParameterArgumentValidationError,*'
        $e.Exception.Message | Should -BeLike "*-Layers $Layers is not allowed: In $Named*"
    }

    It 'refuses layers the optimiser or the input cannot take in its own words' {
        $e = Get-ErrorRecord { New-NeuralNet -Layers 'dense8,dropout0.5' -Optimizer Lbfgs }
        $e.Exception.Message | Should -BeLike '-Layers dense8,dropout0.5 is not allowed: dropout and batch normalisation make each training step differ*'
        $e.FullyQualifiedErrorId | Should -BeLike 'InvalidNetworkSetting,*'
        (Get-ErrorRecord { New-NeuralNet -Layers 'conv4x3,flatten' }).Exception.Message | Should -BeLike '-Layers * is not allowed:*'
    }

    It 'refuses an -InputShape of <Shown> in its own words' -TestCases @(
        @{ Shape = @(28, 28); Shown = '28,28' }, @{ Shape = @(28, 0, 1); Shown = '28,0,1' }, @{ Shape = @(2, 2, 2, 2); Shown = '2,2,2,2' }, @{ Shape = '28x28'; Shown = '28x28' }
    ) {
        $e = Get-ErrorRecord { New-NeuralNet -InputShape $Shape }
        $e.Exception.Message | Should -BeLike "-InputShape $Shown is not allowed: '*' is not a shape: expected a positive width such as 784, or height x width x channels such as 28x28x1."
        $e.FullyQualifiedErrorId | Should -BeLike 'InvalidNetworkSetting,*'
    }

    It 'refuses an -InputShape too large for an array in its own words' {
        $e = Get-ErrorRecord { New-NeuralNet -InputShape 50000,50000,1 }
        $e.Exception.Message | Should -BeLike "-InputShape 50000,50000,1 is not allowed: '50000x50000x1' is not a usable shape: 50000×50000×1 values per example are more than an array holds.*"
        $e.FullyQualifiedErrorId | Should -BeLike 'InvalidNetworkSetting,*'
    }

    It 'completes the layer being typed in -Layers, and an activation after dense<units>:' {
        $line = 'New-NeuralNet -Layers '
        $all = (TabExpansion2 $line $line.Length).CompletionMatches.CompletionText
        $all | Should -Contain 'dense128'
        $all | Should -Contain 'dropout0.5'
        $all | Should -Contain 'bn'
        $line = 'New-NeuralNet -Layers dense128,dr'
        (TabExpansion2 $line $line.Length).CompletionMatches.CompletionText | Should -Be @('dropout0.5', 'dropout0.2')
        $line = "New-NeuralNet -Layers 'dense128,dr"
        (TabExpansion2 $line $line.Length).CompletionMatches.CompletionText | Should -Be @("'dense128,dropout0.5'", "'dense128,dropout0.2'")
        $line = 'New-NeuralNet -Layers dense128:ta'
        (TabExpansion2 $line $line.Length).CompletionMatches.CompletionText | Should -Be @("'dense128:tanh'")
    }

    It 'trains -Layers with dropout and batch normalisation, and shows each layer''s kind and parameters' {
        $model = $iris | Invoke-Train -Label Species -Network (New-NeuralNet -Layers 'dense16,dropout0.2,bn' -LearningRate 0.01 -Seed 1) -Epochs 60 -ProgressAction SilentlyContinue
        $model.Architecture | Should -Be '4-16-dropout0.2-bn-3'
        ($model.Layers | ForEach-Object { "$($_.Kind)" }) | Should -Be @('Dense', 'Dropout', 'BatchNormalization', 'Dense')
        ($model.Layers | ForEach-Object ParameterCount) | Should -Be @(80, 0, 32, 51)
        $table = $model.Layers | Format-Table | Out-String -Width 120
        $table | Should -Match 'dropout_2\s+Dropout\s+16\s+rate 0.2\s+0'
        $table | Should -Match 'batchnorm_3\s+BatchNormalization\s+16\s+.*\s32'
        ($model | Measure-NeuralNet -Data $iris).Accuracy | Should -BeGreaterThan 0.9
        $first = ($iris | Invoke-Predict -Model $model).PredictedLabel
        ($iris | Invoke-Predict -Model $model).PredictedLabel | Should -Be $first
    }

    It 'refuses an unknown -<Name> value and lists the valid ones' -TestCases @(
        @{ Name = 'Task'; Valid = 'Multiclass' }, @{ Name = 'Optimizer'; Valid = 'Adam' }
    ) {
        $parameters = @{ $Name = 'NoSuchValue' }
        $e = Get-ErrorRecord { New-NeuralNet @parameters }
        $e.FullyQualifiedErrorId | Should -BeLike 'CannotConvertArgument*'
        $e.Exception.Message | Should -Match $Valid
    }
}

Describe 'Invoke-NeuralNetTraining' {
    It 'trains a three-class model on Iris rows and says what it is' {
        $model.GetType().FullName | Should -Be 'MLNetNN.PowerShell.Output.NeuralNetModel'
        "$($model.Task)" | Should -Be 'Multiclass'
        $model.Architecture | Should -Be '4-8-3'
        $model.Classes | Should -Be @('setosa', 'versicolor', 'virginica')
        $model.Features | Should -Be @('SepalLength', 'SepalWidth', 'PetalLength', 'PetalWidth')
        $model.Label | Should -Be 'Species'
        $model.History.Count | Should -Be $model.Epochs
        $model.History[-1].Accuracy | Should -BeGreaterThan 0.9
    }

    It 'fits Iris with the README''s snippet and every other setting left at its default (issue 13)' {
        # The README's session: with batch 200, 120 training rows made one Adam step an epoch and the model reached 0.873.
        $readme = $iris | Invoke-Train -Label Species -Network (New-NeuralNet -HiddenLayers 16,8 -Seed 1) -Epochs 200 -ValidationFraction 0.2 -ProgressAction SilentlyContinue
        $readme.Options.BatchSize | Should -Be ([MLNetNN.Training.Defaults]::BatchSize)
        ($readme | Measure-NeuralNet -Data $iris).Accuracy | Should -BeGreaterOrEqual 0.95
    }

    It 'gives the same model from the same seed, and from -Path as from the same rows piped in' {
        $net = New-NeuralNet -HiddenLayers 4 -Seed 5
        $a = $iris | Invoke-Train -Label Species -Network $net -Epochs 10 -ProgressAction SilentlyContinue
        $b = $iris | Invoke-Train -Label Species -Network $net -Epochs 10 -ProgressAction SilentlyContinue
        $c = Invoke-Train -Path $irisPath -Label Species -Network $net -Epochs 10 -ProgressAction SilentlyContinue
        $b.Model.Network.Parameters | Should -Be $a.Model.Network.Parameters
        $c.Model.Network.Parameters | Should -Be $a.Model.Network.Parameters
    }

    It 'also leaves the model in $LastNeuralNet' {
        $trained = $iris | Invoke-Train -Label Species -Network (New-NeuralNet -HiddenLayers 4 -Seed 5) -Epochs 2 -ProgressAction SilentlyContinue
        $global:LastNeuralNet | Should -Be $trained
    }

    It 'names the row and column of a bad value, and targets that row' {
        $bad = $iris | ForEach-Object { $_.PSObject.Copy() }
        $bad[41].SepalWidth = 'n/a'
        $e = Get-ErrorRecord { $bad | Invoke-Train -Label Species -Epochs 1 }
        $e.Exception.Message | Should -Match "^Row 42, column 'SepalWidth': 'n/a' is not a number"
        "$($e.CategoryInfo.Category)" | Should -Be 'InvalidData'
        $e.TargetObject | Should -Be $bad[41]
    }

    It 'refuses -Epochs <Epochs> in parameter validation' -TestCases @(@{ Epochs = 0 }, @{ Epochs = -1 }) {
        (Get-ErrorRecord { $iris | Invoke-Train -Label Species -Epochs $Epochs }).FullyQualifiedErrorId | Should -BeLike 'ParameterArgumentValidationError,*'
    }

    It 'completes -Label and -Feature from the header of the -Path file, or of the file Import-Csv pipes in' {
        Push-Location (Split-Path $irisPath)
        try {
            $line = 'Invoke-Train -Path ./iris.csv -Label '
            (TabExpansion2 $line $line.Length).CompletionMatches.CompletionText | Should -Be @('SepalLength', 'SepalWidth', 'PetalLength', 'PetalWidth', 'Species')
            $line = 'Invoke-Train -Path iris.csv -Label Species -Feature Petal'
            (TabExpansion2 $line $line.Length).CompletionMatches.CompletionText | Should -Be @('PetalLength', 'PetalWidth')
            $line = 'Import-Csv ./iris.csv | Invoke-Train -Label Sp'
            (TabExpansion2 $line $line.Length).CompletionMatches.CompletionText | Should -Be @('Species')
            $line = 'Measure-NeuralNet -Model $m -Path ./iris.csv -Label Sp'
            (TabExpansion2 $line $line.Length).CompletionMatches.CompletionText | Should -Be @('Species')
        } finally { Pop-Location }
    }

    It 'refuses rows piped in together with -Path' {
        (Get-ErrorRecord { $iris | Invoke-Train -Path $irisPath -Label Species }).FullyQualifiedErrorId | Should -BeLike 'InputObjectNotBound*'
    }
}

Describe 'Invoke-NeuralNetPrediction' {
    BeforeAll { $script:predicted = @($test | Invoke-Predict -Model $model) }

    It 'returns each row with PredictedLabel, Probability and a Probability_<class> per class added, as an MLNetNN.Prediction' {
        $predicted.Count | Should -Be $test.Count
        $predicted[0].PSObject.TypeNames | Should -Contain 'MLNetNN.Prediction'
        $predicted[0].Species | Should -Be $test[0].Species
        $predicted[0].PredictedLabel | Should -BeIn $model.Classes
        $predicted[0].Probability | Should -Be $predicted[0]."Probability_$($predicted[0].PredictedLabel)"
        ($model.Classes | ForEach-Object { $predicted[0]."Probability_$_" } | Measure-Object -Sum).Sum | Should -BeGreaterThan 0.9999
        @($predicted | Where-Object { $_.Species -eq $_.PredictedLabel }).Count | Should -BeGreaterOrEqual 13
    }

    It 'gives output that Export-Csv writes and Import-Csv reads back as the same values, without float noise' {
        $file = Join-Path $TestDrive 'scored.csv'
        $predicted | Export-Csv $file
        $back = @(Import-Csv $file)
        $columns = $back[0].PSObject.Properties.Name
        $columns | Should -Be @('SepalLength', 'SepalWidth', 'PetalLength', 'PetalWidth', 'Species', 'PredictedLabel', 'Probability', 'Probability_setosa', 'Probability_versicolor', 'Probability_virginica')
        Get-Content $file -Raw | Should -Not -Match 'System\.'
        for ($i = 0; $i -lt $predicted.Count; $i++) {
            foreach ($column in $columns) { $back[$i].$column | Should -Be ([string]::Format([cultureinfo]::InvariantCulture, '{0}', $predicted[$i].$column)) }
            # At most nine significant digits: the shortest text that gives back the model's float.
            $back[$i].Probability | Should -Match '^(0|1)(\.\d{1,9})?(E-\d+)?$'
            [single] $back[$i].Probability | Should -Be ([single] $predicted[$i].Probability)
        }
    }

    It 'shows the prediction first in the default table, so it fits in 80 columns' {
        $table = $predicted | Select-Object -First 3 | Out-String -Width 80
        $header = ($table -split "`n" | Where-Object { $_ -match '\S' })[0]
        $header | Should -Match '^\s*PredictedLabel\s+Probability\b'
        # Four decimals; the first flower is a setosa the model (trained in mini-batches of 32 rows) gives 0.99995 or more, so 1.0000.
        $table | Should -Match 'setosa\s+[01]\.\d{4} SepalLength=5\.1'
    }

    It 'predicts a file with -Path as the same rows piped from Import-Csv, streaming the rows out' {
        $fromPath = @(Invoke-Predict $model -Path $irisPath)
        $piped = @(Import-Csv $irisPath | Invoke-Predict $model)
        $fromPath.Count | Should -Be 150
        for ($i = 0; $i -lt 150; $i++) {
            ($fromPath[$i].PSObject.Properties | ForEach-Object { "$($_.Name)=$($_.Value)" }) -join ';' |
                Should -Be (($piped[$i].PSObject.Properties | ForEach-Object { "$($_.Name)=$($_.Value)" }) -join ';')
        }
    }

    It 'writes the rows of a -Path file before a broken record stops it, and names the line' {
        # The rows come out as they are read: those before an unclosed quote are already written when it stops the read.
        $file = Join-Path $TestDrive 'broken.csv'
        $header, $rows = Get-Content $irisPath
        Set-Content $file -Value (@($header) + $rows + '5.0,"3.0,1.6,0.2,setosa')
        $streamed = [System.Collections.Generic.List[object]]::new()
        $e = $null
        try { Invoke-Predict $model -Path $file | ForEach-Object { $streamed.Add($_) } } catch { $e = $_ }
        $streamed.Count | Should -Be 150
        $e | Should -Not -BeNullOrEmpty
        $e.Exception.Message | Should -Match 'line 152'
        "$($e.CategoryInfo.Category)" | Should -Be 'InvalidData'
    }

    It 'reports a bad row of a -Path file against its row number and goes on' {
        $file = Join-Path $TestDrive 'bad.csv'
        $header, $rows = Get-Content $irisPath
        $rows[1] = '5.1,x,1.4,0.2,setosa'
        Set-Content $file -Value (@($header) + $rows[0..4])
        $out = Invoke-Predict $model -Path $file -ErrorAction SilentlyContinue -ErrorVariable errors
        @($out).Count | Should -Be 4
        $errors.Count | Should -Be 1
        $errors[0].Exception.Message | Should -Match "^Row 2, column 'SepalWidth': 'x' is not a number"
        $errors[0].TargetObject.SepalWidth | Should -Be 'x'
    }

    It 'leaves the input rows as they were' {
        $test[0].PSObject.Properties['PredictedLabel'] | Should -BeNullOrEmpty
    }

    It 'predicts hashtables, with numbers as text or numbers' {
        (@{ SepalLength = '5.1'; SepalWidth = 3.5; PetalLength = 1.4; PetalWidth = 0.2 } | Invoke-Predict $model).PredictedLabel | Should -Be 'setosa'
    }

    It 'replaces a column of a prediction''s name that the row already has, for objects and hashtables alike' {
        $row = @{ SepalLength = 5.1; SepalWidth = 3.5; PetalLength = 1.4; PetalWidth = 0.2; Probability = 'old'; PredictedLabel = 'old' }
        foreach ($source in $row, [pscustomobject] $row) {
            $out = $source | Invoke-Predict $model
            @($out.PSObject.Properties.Name | Where-Object { $_ -eq 'Probability' }).Count | Should -Be 1
            $out.PredictedLabel | Should -Be 'setosa'
            $out.Probability | Should -BeOfType [double]
        }
    }

    It 'returns PredictedValue for a regression model, as an MLNetNN.RegressionPrediction' {
        $rows = 0..39 | ForEach-Object { [pscustomobject]@{ X = $_ / 10; Y = 3 * $_ / 10 - 1 } }
        $line = $rows | Invoke-Train -Label Y -Network (New-NeuralNet -HiddenLayers @() -Task Regression -LearningRate 0.1 -Seed 1) -Epochs 300 -Convergence None -ProgressAction SilentlyContinue
        $out = [pscustomobject]@{ X = 1 } | Invoke-Predict $line
        $out.PSObject.TypeNames | Should -Contain 'MLNetNN.RegressionPrediction'
        $out.PredictedValue | Should -BeGreaterThan 1.8
        $out.PredictedValue | Should -BeLessThan 2.2
        # The value comes first in the default table, ahead of the input.
        ((($out | Out-String -Width 80) -split "`n" | Where-Object { $_ -match '\S' })[0]) | Should -Match '^\s*PredictedValue\s+Input\s*$'
    }

    It 'reports a bad row against that row and still predicts the others' {
        $rows = @($test[0], [pscustomobject]@{ SepalLength = 1; SepalWidth = 2; PetalLength = 3 }, $test[1])
        $out = $rows | Invoke-Predict $model -ErrorAction SilentlyContinue -ErrorVariable errors
        @($out).Count | Should -Be 2
        $errors.Count | Should -Be 1
        $errors[0].Exception.Message | Should -Match "^Row 2, column 'PetalWidth'"
        $errors[0].TargetObject | Should -Be $rows[1]
    }
}

# The shape of the rows Invoke-NeuralNetPrediction returns, pinned: how they are built is tuned for speed (the cmdlet's cost
# per row), and a faster way must not change what comes out. Each row is "Name:MemberType:TypeOfValue" per property, in order.
Describe 'Invoke-NeuralNetPrediction output rows' {
    BeforeAll {
        $script:predictionColumns = @('PredictedLabel:NoteProperty:System.String', 'Probability:NoteProperty:System.Double') +
            @($model.Classes | ForEach-Object { "Probability_$($_):NoteProperty:System.Double" })
        function script:Get-Shape($Row) { $Row.PSObject.Properties | ForEach-Object { '{0}:{1}:{2}' -f $_.Name, $_.MemberType, $_.TypeNameOfValue } }
        # "$value" formats numbers in the invariant culture.
        function script:Get-Values($Row) { ($Row.PSObject.Properties | ForEach-Object { "$($_.Name)=$($_.Value)" }) -join ';' }
        # The module's own switch, to take its general way (as where PowerShell lacks what the fast way uses).
        $internals = (Get-Command Invoke-NeuralNetPrediction).ImplementingType.Assembly.GetType('MLNetNN.PowerShell.Cmdlets.PSObjectInternals', $true)
        $script:available = $internals.GetProperty('Available', [System.Reflection.BindingFlags] 'NonPublic, Static')
        function script:Invoke-TheGeneralWay([scriptblock] $Script) {
            $saved = $available.GetValue($null)
            $available.SetValue($null, $null)
            try { & $Script } finally { $available.SetValue($null, $saved) }
        }
        # Rows of several shapes, in one pipeline: the columns of each are its own.
        $script:mixed = @(
            [pscustomobject]@{ SepalLength = '5.1'; SepalWidth = '3.5'; PetalLength = '1.4'; PetalWidth = '0.2'; Id = 1 }
            [pscustomobject]@{ SepalLength = '5.9'; SepalWidth = '3.0'; PetalLength = '5.1'; PetalWidth = '1.8'; Id = 2 }
            [pscustomobject]@{ SepalLength = 6.3; SepalWidth = 3.3; PetalLength = 6.0; PetalWidth = 2.5; Id = 3; Extra = 'x' }
            [pscustomobject]@{ SepalLength = '5.0'; SepalWidth = '3.4'; PetalLength = '1.5'; PetalWidth = '0.2' }
            [pscustomobject]@{ SepalLength = '6.4'; SepalWidth = '3.2'; PetalLength = '4.5'; PetalWidth = '1.5'; Id = $null }
            [pscustomobject]@{ SepalLength = '5.7'; SepalWidth = '2.8'; PetalLength = '4.1'; PetalWidth = '1.3'; Id = 6; Probability = 'old' }
        )
        $script:mixedShapes = @(
            @('SepalLength:NoteProperty:System.String', 'SepalWidth:NoteProperty:System.String', 'PetalLength:NoteProperty:System.String', 'PetalWidth:NoteProperty:System.String', 'Id:NoteProperty:System.Int32'),
            @('SepalLength:NoteProperty:System.String', 'SepalWidth:NoteProperty:System.String', 'PetalLength:NoteProperty:System.String', 'PetalWidth:NoteProperty:System.String', 'Id:NoteProperty:System.Int32'),
            @('SepalLength:NoteProperty:System.Double', 'SepalWidth:NoteProperty:System.Double', 'PetalLength:NoteProperty:System.Double', 'PetalWidth:NoteProperty:System.Double', 'Id:NoteProperty:System.Int32', 'Extra:NoteProperty:System.String'),
            @('SepalLength:NoteProperty:System.String', 'SepalWidth:NoteProperty:System.String', 'PetalLength:NoteProperty:System.String', 'PetalWidth:NoteProperty:System.String'),
            @('SepalLength:NoteProperty:System.String', 'SepalWidth:NoteProperty:System.String', 'PetalLength:NoteProperty:System.String', 'PetalWidth:NoteProperty:System.String', 'Id:NoteProperty:System.Object'),
            @('SepalLength:NoteProperty:System.String', 'SepalWidth:NoteProperty:System.String', 'PetalLength:NoteProperty:System.String', 'PetalWidth:NoteProperty:System.String', 'Id:NoteProperty:System.Int32')
        )
    }

    It 'returns each Import-Csv row as a new [pscustomobject]: its columns in order, then the prediction''s, with these types and values' {
        $out = @($test | Invoke-Predict $model)
        $out.Count | Should -Be $test.Count
        $inputColumns = @('SepalLength', 'SepalWidth', 'PetalLength', 'PetalWidth', 'Species') | ForEach-Object { "$($_):NoteProperty:System.String" }
        for ($i = 0; $i -lt $out.Count; $i++) {
            Get-Shape $out[$i] | Should -Be ($inputColumns + $predictionColumns)
            $out[$i].PSObject.TypeNames | Should -Be @('MLNetNN.Prediction', 'System.Management.Automation.PSCustomObject', 'System.Object')
            $out[$i].PSObject.BaseObject | Should -BeOfType [System.Management.Automation.PSCustomObject]
            [object]::ReferenceEquals($out[$i], $test[$i]) | Should -BeFalse
            foreach ($column in 'SepalLength', 'SepalWidth', 'PetalLength', 'PetalWidth', 'Species') { $out[$i].$column | Should -BeExactly $test[$i].$column }
            $probabilities = @($model.Classes | ForEach-Object { $out[$i]."Probability_$_" })
            $best = [array]::IndexOf($probabilities, ($probabilities | Measure-Object -Maximum).Maximum)
            $out[$i].PredictedLabel | Should -BeExactly $model.Classes[$best]
            $out[$i].Probability | Should -Be $probabilities[$best]
        }
        # Each row's type names are its own to change.
        $out[0].PSObject.TypeNames.Insert(0, 'Test.Changed')
        $out[1].PSObject.TypeNames | Should -Be @('MLNetNN.Prediction', 'System.Management.Automation.PSCustomObject', 'System.Object')
        $out[0].PSObject.TypeNames[0] | Should -Be 'Test.Changed'
    }

    It 'leaves the input rows as they were, and a change to an output row does not reach its input row' {
        $rows = @($test | Select-Object -First 3 | ForEach-Object { $_.PSObject.Copy() })
        $before = $rows | ForEach-Object { Get-Values $_ }
        $typeNames = $rows[0].PSObject.TypeNames -join ','
        $out = @($rows | Invoke-Predict $model)
        $out[0].SepalLength = 'changed'
        $out[1].Species = 'changed'
        $rows | ForEach-Object { Get-Values $_ } | Should -Be $before
        $rows[0].PSObject.TypeNames -join ',' | Should -Be $typeNames
    }

    It 'keeps each row''s own columns, in order and with their types, when rows of several shapes come down one pipeline' {
        $out = @($mixed | Invoke-Predict $model)
        $out.Count | Should -Be $mixed.Count
        for ($i = 0; $i -lt $out.Count; $i++) {
            # A column named like a prediction's is replaced by it, at the prediction's place.
            Get-Shape $out[$i] | Should -Be ($mixedShapes[$i] + $predictionColumns)
        }
        $out[2].Extra | Should -Be 'x'
        $out[2].SepalLength | Should -BeOfType [double]
        $out[5].Probability | Should -BeOfType [double]
        $out[5].Id | Should -Be 6
    }

    It 'gives a row with the columns of the rows before it in another order the same columns and values' {
        $rows = @($test[0], [pscustomobject]@{ Species = $test[1].Species; PetalWidth = $test[1].PetalWidth; PetalLength = $test[1].PetalLength; SepalWidth = $test[1].SepalWidth; SepalLength = $test[1].SepalLength })
        $out = @($rows | Invoke-Predict $model)
        Get-Shape $out[1] | Sort-Object | Should -Be (Get-Shape $out[0] | Sort-Object)
        foreach ($column in 'SepalLength', 'SepalWidth', 'PetalLength', 'PetalWidth', 'Species') { $out[1].$column | Should -BeExactly $test[1].$column }
    }

    It 'keeps the type names, script and alias properties and script methods the rows were given' {
        $row = [pscustomobject]@{ PSTypeName = 'Test.Flower'; SepalLength = '5.1'; SepalWidth = '3.5'; PetalLength = '1.4'; PetalWidth = '0.2' }
        $row | Add-Member ScriptProperty Area { [double] $this.PetalLength * [double] $this.PetalWidth }
        $row | Add-Member AliasProperty Length SepalLength
        $out = $row | Invoke-Predict $model
        $out.PSObject.TypeNames | Should -Be @('MLNetNN.Prediction', 'Test.Flower', 'System.Management.Automation.PSCustomObject', 'System.Object')
        @($out.PSObject.Properties | Select-Object -First 6 | ForEach-Object { "$($_.Name):$($_.MemberType)" }) |
            Should -Be @('SepalLength:NoteProperty', 'SepalWidth:NoteProperty', 'PetalLength:NoteProperty', 'PetalWidth:NoteProperty', 'Area:ScriptProperty', 'Length:AliasProperty')
        $out.Area | Should -Be (1.4 * 0.2)
        $out.Length | Should -Be '5.1'

        $withMethod = $test[0].PSObject.Copy()
        $withMethod | Add-Member ScriptMethod Twice { 2 * [double] $this.SepalLength }
        $both = @($test[1], $withMethod, $test[2] | Invoke-Predict $model)
        $both[1].Twice() | Should -Be (2 * [double] $test[0].SepalLength)
        Get-Shape $both[1] | Should -Be (Get-Shape $both[0])
        Get-Shape $both[2] | Should -Be (Get-Shape $both[0])
    }

    It 'gives predictions predicted again the same columns, the prediction''s replaced in place' {
        $once = @($test | Invoke-Predict $model)
        $twice = @($once | Invoke-Predict $model)
        for ($i = 0; $i -lt $once.Count; $i++) {
            Get-Shape $twice[$i] | Should -Be (Get-Shape $once[$i])
            Get-Values $twice[$i] | Should -Be (Get-Values $once[$i])
        }
    }

    It 'gives -Path rows the shape and type names of the same rows piped from Import-Csv, a column of a prediction''s name replaced' {
        $file = Join-Path $TestDrive 'with-probability.csv'
        $iris | Select-Object -First 5 | Select-Object *, @{ Name = 'Probability'; Expression = { 'old' } }, @{ Name = 'Id'; Expression = { 'x' } } | Export-Csv $file
        $fromPath = @(Invoke-Predict $model -Path $file)
        $piped = @(Import-Csv $file | Invoke-Predict $model)
        for ($i = 0; $i -lt 5; $i++) {
            Get-Shape $fromPath[$i] | Should -Be (Get-Shape $piped[$i])
            Get-Values $fromPath[$i] | Should -Be (Get-Values $piped[$i])
            $fromPath[$i].PSObject.TypeNames | Should -Be $piped[$i].PSObject.TypeNames
        }
        (Get-Shape $piped[0])[-6..-1] | Should -Be (@('Id:NoteProperty:System.String') + $predictionColumns)
    }

    It 'gives the same rows and errors both ways for 2,000 seeded rows of random shapes, types, order and bad values' {
        # Columns come and go, change order and type, take the predictions' names, or hold what is not a number; runs of a
        # shape are long or short. The fast way must keep every column of every row, and fail the same rows with the same words.
        $random = [System.Random]::new(14)
        $features = 'SepalLength', 'SepalWidth', 'PetalLength', 'PetalWidth'
        $extras = 'Species', 'Id', 'Note', 'Probability', 'PredictedLabel', 'Probability_setosa', 'sepallength2'
        $rows = [System.Collections.Generic.List[object]]::new()
        $shape = $null
        while ($rows.Count -lt 2000) {
            if ($null -eq $shape -or $random.Next(4) -eq 0) {
                $columns = @($features | Where-Object { $random.Next(40) -ne 0 }) + @($extras | Where-Object { $random.Next(3) -eq 0 })
                if ($random.Next(3) -eq 0) { $columns = @($columns | Sort-Object { $random.Next() }) }
                $shape = $columns
            }
            $row = [ordered]@{}
            foreach ($column in $shape) {
                $row[$column] = switch ($random.Next(30)) {
                    0 { [int] $random.Next(10) } 1 { 5.5 } 2 { $null } 3 { 'n/a' } 4 { [decimal] 1.25 }
                    default { '{0:0.0}' -f ($random.NextDouble() * 7) }
                }
            }
            $rows.Add([pscustomobject] $row)
        }
        function Get-Run([scriptblock] $Script) {
            $ErrorActionPreference = 'Continue'
            $all = @(& $Script 2>&1)
            [pscustomobject]@{
                Rows = @($all | Where-Object { $_ -isnot [System.Management.Automation.ErrorRecord] })
                Errors = @($all | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] } | ForEach-Object { $_.Exception.Message })
            }
        }
        $fast = Get-Run { $rows | Invoke-Predict $model }
        $general = Invoke-TheGeneralWay { Get-Run { $rows | Invoke-Predict $model } }
        $fast.Errors | Should -Be $general.Errors
        $fast.Rows.Count | Should -Be $general.Rows.Count
        $fast.Rows.Count | Should -BeGreaterThan 1000
        $fast.Errors.Count | Should -BeGreaterThan 100
        for ($i = 0; $i -lt $fast.Rows.Count; $i++) {
            # A row of an earlier row's columns in another order comes out in that order: compare the columns as a set.
            Get-Shape $fast.Rows[$i] | ForEach-Object { $_ } | Sort-Object | Should -Be (Get-Shape $general.Rows[$i] | Sort-Object)
            ($fast.Rows[$i].PSObject.Properties | ForEach-Object { "$($_.Name)=$($_.Value)" } | Sort-Object) -join ';' |
                Should -Be (($general.Rows[$i].PSObject.Properties | ForEach-Object { "$($_.Name)=$($_.Value)" } | Sort-Object) -join ';')
            (Get-Shape $fast.Rows[$i])[-5..-1] | Should -Be $predictionColumns
            $fast.Rows[$i].PSObject.TypeNames | Should -Be $general.Rows[$i].PSObject.TypeNames
        }
    }

    It 'gives the same rows the general way (where PowerShell lacks what the fast way uses) as the fast way' {
        $rows = @($test) + @($mixed)
        $fast = @($rows | Invoke-Predict $model)
        $general = Invoke-TheGeneralWay { @($rows | Invoke-Predict $model) }
        $general.Count | Should -Be $fast.Count
        for ($i = 0; $i -lt $fast.Count; $i++) {
            Get-Shape $general[$i] | Should -Be (Get-Shape $fast[$i])
            Get-Values $general[$i] | Should -Be (Get-Values $fast[$i])
            $general[$i].PSObject.TypeNames | Should -Be $fast[$i].PSObject.TypeNames
        }
        $available.GetValue($null) | Should -Not -BeNullOrEmpty -Because 'this PowerShell has what the fast way uses'
    }
}

Describe 'Measure-NeuralNet' {
    It 'measures rows piped in with -Model, as one set of figures (not one per row)' {
        $metrics = @($test | Measure-NeuralNet -Model $model)
        $metrics.Count | Should -Be 1
        $metrics[0].GetType().FullName | Should -Be 'MLNetNN.Metrics.ClassificationMetrics'
        $metrics[0].Rows | Should -Be $test.Count
    }

    It 'gives the same figures for piped rows, a piped model with -Data, -Data by position, and -Path' {
        $expected = ($model | Measure-NeuralNet -Data $test).Accuracy
        $correct = @($test | Invoke-Predict $model | Where-Object { $_.Species -eq $_.PredictedLabel }).Count
        $expected | Should -Be ($correct / $test.Count)
        ($test | Measure-NeuralNet -Model $model).Accuracy | Should -Be $expected
        ($model | Measure-NeuralNet $test).Accuracy | Should -Be $expected
        $file = Join-Path $TestDrive 'test.csv'
        $test | Export-Csv $file
        ($model | Measure-NeuralNet -Path $file).Accuracy | Should -Be $expected
    }

    It 'never prompts for -Data when the rows come from the pipeline' {
        # A prompt would fail in this non-interactive host with a missing-parameter error instead of measuring.
        $ps = [powershell]::Create()
        try {
            $null = $ps.AddScript({ param($m, $rows, $path) Import-Module $path; $rows | Measure-NeuralNet -Model $m }).AddArgument($model).AddArgument($test).AddArgument($Module)
            $out = $ps.Invoke()
            $ps.Streams.Error | Should -BeNullOrEmpty
            $out[0].Rows | Should -Be $test.Count
        } finally { $ps.Dispose() }
    }

    It 'names the bad row of piped rows and targets it' {
        $rows = $test | ForEach-Object { $_.PSObject.Copy() }
        $rows[3].Species = 'rosa'
        $e = Get-ErrorRecord { $rows | Measure-NeuralNet -Model $model }
        $e.Exception.Message | Should -Match "'rosa' is not one of the model's classes"
        $e.TargetObject | Should -Be $rows[3]
    }

    It 'says there is nothing to measure when no rows arrive' {
        $e = Get-ErrorRecord { @() | Measure-NeuralNet -Model $model }
        $e.Exception.Message | Should -Match 'No rows'
    }

    It 'asks for -Label for a model read from a file, and measures with it' {
        $file = Join-Path $TestDrive 'label.nn'
        $model | Save-NeuralNet $file
        $loaded = Import-NeuralNet $file
        (Get-ErrorRecord { $test | Measure-NeuralNet -Model $loaded }).Exception.Message | Should -Match 'give it with -Label'
        ($test | Measure-NeuralNet -Model $loaded -Label Species).Accuracy | Should -Be ($model | Measure-NeuralNet $test).Accuracy
    }
}

Describe 'Save-NeuralNet and Import-NeuralNet' {
    BeforeEach { $script:file = Join-Path $TestDrive "model-$([guid]::NewGuid().ToString('N')).nn" }

    It 'round-trips a model: the same predictions, bit for bit' {
        $model | Save-NeuralNet $file
        $loaded = Import-NeuralNet $file
        $loaded.Architecture | Should -Be $model.Architecture
        $loaded.Classes | Should -Be $model.Classes
        ($test | Invoke-Predict $loaded).Probability | Should -Be ($test | Invoke-Predict $model).Probability
    }

    It 'reads back the history, its timings unknown (the file keeps none) rather than zero' {
        $model | Save-NeuralNet $file
        $loaded = Import-NeuralNet $file
        $loaded.History.Count | Should -Be $model.History.Count
        $loaded.History[-1].TrainLoss | Should -Be $model.History[-1].TrainLoss
        $model.History[-1].Elapsed | Should -BeGreaterThan ([timespan]::Zero)
        $loaded.History | ForEach-Object { $_.Duration | Should -BeNullOrEmpty; $_.Elapsed | Should -BeNullOrEmpty }
    }

    It 'writes nothing under -WhatIf' {
        $model | Save-NeuralNet $file -WhatIf
        $file | Should -Not -Exist
    }

    It 'refuses to overwrite without -Force, leaving the file as it was; -Force -PassThru replaces it and returns it' {
        $model | Save-NeuralNet $file
        $hash = (Get-FileHash $file).Hash
        $e = Get-ErrorRecord { $model | Save-NeuralNet $file }
        "$($e.CategoryInfo.Category)" | Should -Be 'ResourceExists'
        (Get-FileHash $file).Hash | Should -Be $hash
        ($model | Save-NeuralNet $file -Force -PassThru).FullName | Should -Be $file
    }

    It '-PassThru returns the file as Get-Item does, so its Mode and Length show' {
        $item = $model | Save-NeuralNet $file -PassThru
        $item.PSPath | Should -Be (Get-Item $file).PSPath
        $table = $item | Out-String -Width 200
        $table | Should -Be (Get-Item $file | Out-String -Width 200)
        $table | Should -Match ([regex]::Escape("$($item.Length) $($item.Name)"))
    }

    It 'writes ONNX with -Format Onnx (or for a .onnx path): a ModelProto with the MLNetNN producer, the graph and the weights' {
        $onnx = Join-Path $TestDrive "model-$([guid]::NewGuid().ToString('N')).onnx"
        $model | Save-NeuralNet -Path $onnx -Format Onnx -WhatIf
        $onnx | Should -Not -Exist
        $item = $model | Save-NeuralNet -Path $onnx -Format Onnx -PassThru
        $bytes = [System.IO.File]::ReadAllBytes($onnx)
        # ModelProto field 1 (ir_version, a varint) comes first: tag 0x08, then IR version 8.
        $bytes[0] | Should -Be 0x08
        $bytes[1] | Should -Be ([MLNetNN.Serialization.Onnx.OnnxExporter]::IrVersion)
        $text = [System.Text.Encoding]::UTF8.GetString($bytes)
        $text | Should -Match 'MLNetNN'
        foreach ($name in 'features', 'probabilities', 'predicted_label', 'layer1.W', 'Gemm', 'Softmax', 'setosa', 'versicolor', 'virginica') { $text | Should -Match ([regex]::Escape($name)) }
        # The first layer's 4 × 8 weights (the first parameters) are in the file as the model holds them: packed little-endian floats.
        $weights = [byte[]]::new(4 * 4 * 8)
        [System.Buffer]::BlockCopy([single[]] $model.Model.Network.Parameters[0..31], 0, $weights, 0, $weights.Length)
        [System.Convert]::ToHexString($bytes) | Should -Match ([System.Convert]::ToHexString($weights))
        $item.Length | Should -Be $bytes.Length
        # The same bytes as the engine writes, and a .onnx path means ONNX without -Format.
        $byName = Join-Path $TestDrive "byname-$([guid]::NewGuid().ToString('N')).onnx"
        $model | Save-NeuralNet $byName
        [System.IO.File]::ReadAllBytes($byName) | Should -Be $bytes
        # Like the native format: no overwrite without -Force.
        (Get-ErrorRecord { $model | Save-NeuralNet -Path $onnx -Format Onnx }).CategoryInfo.Category | Should -Be 'ResourceExists'
        $model | Save-NeuralNet -Path $onnx -Format Onnx -Force
    }

    It 'names the file asked for, not the hidden temporary one, when the folder cannot be written' -Skip:(-not (Test-Path /sys/kernel)) {
        # /sys is read-only even to root, who may write into any folder a test could make read-only.
        $e = Get-ErrorRecord { $model | Save-NeuralNet /sys/model.nn }
        $e.Exception.Message | Should -BeExactly 'Cannot save the model to /sys/model.nn: access is denied (is the folder /sys or the file read-only?).'
        "$($e.CategoryInfo.Category)" | Should -Be 'PermissionDenied'
        $e.TargetObject | Should -Be '/sys/model.nn'
    }

    It 'imports the files Get-ChildItem pipes in' {
        $folder = New-Item (Join-Path $TestDrive "models-$([guid]::NewGuid().ToString('N'))") -ItemType Directory
        $model | Save-NeuralNet (Join-Path $folder 'a.nn')
        $model | Save-NeuralNet (Join-Path $folder 'b.nn')
        @(Get-ChildItem $folder -Filter *.nn | Import-NeuralNet).Count | Should -Be 2
    }

    It 'names a file that is not a model' {
        'not a model' | Set-Content $file
        $e = Get-ErrorRecord { Import-NeuralNet $file }
        "$($e.CategoryInfo.Category)" | Should -Be 'InvalidData'
        $e.Exception.Message | Should -Match ([regex]::Escape((Split-Path $file -Leaf)))
    }
}

Describe 'Export-NeuralNetChart' {
    It 'draws the training curves as SVG, and nothing under -WhatIf' {
        $svg = Join-Path $TestDrive 'curves.svg'
        $model | Export-NeuralNetChart $svg -WhatIf
        $svg | Should -Not -Exist
        $model | Export-NeuralNetChart $svg
        $svg | Should -FileContentMatch '<svg'
    }
}

Describe 'Culture' {
    It 'reads numbers in text the same way under de-DE' {
        $net = New-NeuralNet -HiddenLayers 4 -Seed 2
        $invariant = $iris | Invoke-Train -Label Species -Network $net -Epochs 3 -ProgressAction SilentlyContinue
        $before = [cultureinfo]::CurrentCulture
        try {
            [cultureinfo]::CurrentCulture = 'de-DE'
            $german = $iris | Invoke-Train -Label Species -Network $net -Epochs 3 -ProgressAction SilentlyContinue
        } finally { [cultureinfo]::CurrentCulture = $before }
        $german.Model.Network.Parameters | Should -Be $invariant.Model.Network.Parameters
    }
}
