namespace MLNetNN.PowerShell.Tests.EndToEnd;

/// <summary>
/// Scripted sessions in a real pwsh: each script asserts as it goes and exits non-zero on the first failure, whose message
/// the test shows. One class, so the sessions run one at a time (they train, and the machine may be small).
/// </summary>
public class SessionTests
{
    [PwshFact]
    public void The_issue_session_runs_import_train_with_progress_history_predict_measure_save_import_and_predicts_identically() =>
        Assert.Contains("SESSION OK", Pwsh.Run("Session.ps1"));

    [PwshFact]
    public void Bad_input_gives_error_records_that_name_the_row_and_column_and_never_a_half_written_file() =>
        Assert.Contains("ERRORS OK", Pwsh.Run("Errors.ps1"));

    [PwshFact]
    public void Stopping_training_like_ctrl_c_ends_promptly_and_keeps_the_best_model_so_far() =>
        Assert.Contains("STOP OK", Pwsh.Run("Stop.ps1"));

    [PwshFact]
    public void Charts_draw_training_curves_and_two_feature_decision_regions_as_svg() =>
        Assert.Contains("CHARTS OK", Pwsh.Run("Charts.ps1"));

    [PwshFact]
    public void Import_shows_no_warnings_exports_what_the_manifest_says_and_help_has_examples() =>
        Assert.Contains("MODULE OK", Pwsh.Run("Module.ps1"));

    [PwshFact]
    public void The_example_script_runs_against_the_built_module() =>
        Assert.Contains("EXAMPLE OK", Pwsh.Run("Example.ps1"));
}
