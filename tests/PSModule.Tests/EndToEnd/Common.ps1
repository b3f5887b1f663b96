# Shared by the end-to-end scripts: strict errors, plain text output, and assertions that stop the script with a message.
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
$PSStyle.OutputRendering = 'PlainText'   # 7.x colours table headers even when redirected

function Assert-True([bool] $Condition, [string] $Message) {
    if (-not $Condition) { throw "ASSERTION FAILED: $Message" }
}

function Assert-Equal($Expected, $Actual, [string] $Message) {
    if ($Expected -ne $Actual) { throw "ASSERTION FAILED: $Message (expected '$Expected', got '$Actual')" }
}

# Runs $Script, which must fail, and returns its error record (with $ErrorActionPreference = 'Stop', non-terminating
# errors arrive here too).
function Get-ErrorRecord([scriptblock] $Script) {
    try { & $Script | Out-Null } catch { return $_ }
    throw "ASSERTION FAILED: expected an error from { $Script }"
}
