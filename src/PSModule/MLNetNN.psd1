# Module manifest for MLNetNN: multilayer-perceptron training in PowerShell on the MLNetNN engine.
# Build with `dotnet build src/PSModule` (or `dotnet publish`); the output folder is the module: Import-Module <output>/MLNetNN.psd1
@{
    RootModule           = 'MLNetNN.PowerShell.dll'
    ModuleVersion        = '0.1.0'
    GUID                 = '6b0f3c2e-5d1a-4c8e-9a57-2f4e8b1d7c93'
    Author               = 'MLNetNN'
    CompanyName          = 'MLNetNN'
    Copyright            = '(c) MLNetNN contributors.'
    Description          = 'Train, evaluate, save and plot multilayer-perceptron neural networks from PowerShell objects or CSV files.'
    CompatiblePSEditions = @('Core')
    PowerShellVersion    = '7.4'
    FormatsToProcess     = @('MLNetNN.format.ps1xml')
    CmdletsToExport      = @(
        'New-NeuralNet'
        'Invoke-NeuralNetTraining'
        'Invoke-NeuralNetPrediction'
        'Measure-NeuralNet'
        'Save-NeuralNet'
        'Import-NeuralNet'
        'Export-NeuralNetChart'
    )
    AliasesToExport      = @('Invoke-Train', 'Invoke-Predict')
    FunctionsToExport    = @()
    VariablesToExport    = @()
    PrivateData          = @{
        PSData = @{
            Tags = @('MachineLearning', 'NeuralNetwork', 'MLP', 'PSEdition_Core')
        }
    }
}
