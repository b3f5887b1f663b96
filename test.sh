#!/usr/bin/env bash
# Runs every test suite this machine can reach and says plainly which it could not.
#   ./test.sh                  all suites
#   MLNETNN_NUGET_SOURCE=DIR   an extra NuGet source (a folder or feed URL) for packages your default sources lack
# The ML.NET adapter needs the Microsoft.ML package; where it cannot be restored its suite is reported as not run.
# PowerShell (pinned in .config/dotnet-tools.json) and Pester (restored with the PowerShell tests) come through NuGet too.
set -u
cd "$(dirname "$0")"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

extra=()
if [ -n "${MLNETNN_NUGET_SOURCE:-}" ]; then extra+=("-p:RestoreAdditionalProjectSources=${MLNETNN_NUGET_SOURCE}"); fi

passed=0; failed=0; skipped=0; status=0
not_run=(); skip_notes=(); failed_tests=()

run_suite() { # name project [VAR=value ...: environment for this run only]
  local name=$1 project=$2 log
  shift 2
  log=$(mktemp)
  echo "=== $name ($project)"
  env "$@" dotnet test "$project" -c Release "${extra[@]+"${extra[@]}"}" 2>&1 | tee "$log" | grep -vE "^\s*$|Determining projects|Restored |-> |Build started|Test run for|VSTest version|Starting test execution|A total of .* test files" || true
  local rc=${PIPESTATUS[0]}
  local line
  line=$(grep -E "(Passed|Failed)! +-" "$log" | tail -1)
  if [ -n "$line" ]; then
    passed=$((passed + $(sed -E 's/.*Passed: *([0-9]+).*/\1/' <<<"$line")))
    failed=$((failed + $(sed -E 's/.*Failed: *([0-9]+).*/\1/' <<<"$line")))
    skipped=$((skipped + $(sed -E 's/.*Skipped: *([0-9]+).*/\1/' <<<"$line")))
  fi
  # The summary repeats each failed test's name, since a CI log may keep only its tail.
  while IFS= read -r t; do failed_tests+=("$name: $t"); done < <(sed -nE 's/^\s+Failed (.+) \[[^]]*\]\s*$/\1/p' "$log")
  if [ "$rc" -ne 0 ]; then
    status=1
    [ -z "$line" ] && { echo "--- $name did not build or run; its log:"; tail -40 "$log"; failed=$((failed + 1)); }
  fi
  rm -f "$log"
}

# A suite whose packages cannot be restored here is reported, not failed.
restorable() { # project package [VAR=value ...: environment for this restore only]
  local log; log=$(mktemp)
  if env "${@:3}" dotnet restore "$1" "${extra[@]+"${extra[@]}"}" >"$log" 2>&1; then rm -f "$log"; return 0; fi
  if grep -q "NU1101.*$2\|NU1102.*$2\|Unable to find package $2" "$log"; then rm -f "$log"; return 1; fi
  cat "$log"; rm -f "$log"; return 2
}

run_suite "Core engine" tests/Core.Tests/MLNetNN.Core.Tests.csproj
# The engine picks its matrix kernels by instruction set (AVX-512, AVX2 + FMA, or portable code, as on ARM64); on x64 the
# narrower paths run too, with the runtime told to ignore the wider instructions.
if [ "$(uname -m)" = x86_64 ]; then
  # .NET 8 reads EnableAVX512F, .NET 10 EnableAVX512; a test checks that the kernels named in MLNETNN_EXPECT_KERNELS ran.
  run_suite "Core engine without AVX-512" tests/Core.Tests/MLNetNN.Core.Tests.csproj DOTNET_EnableAVX512F=0 DOTNET_EnableAVX512=0 MLNETNN_EXPECT_KERNELS=AVX2
  run_suite "Core engine without AVX2 (portable kernels)" tests/Core.Tests/MLNetNN.Core.Tests.csproj DOTNET_EnableAVX2=0 MLNETNN_EXPECT_KERNELS=portable
fi
run_suite "Examples" tests/Examples.Tests/MLNetNN.Examples.Tests.csproj
# FashionMnist.DebianDirectory: where Debian's dataset-fashion-mnist puts the files (.ci/run installs it when it runs as root).
[ -d /usr/share/datasets/fashion-mnist ] || skip_notes+=("the Fashion-MNIST example test: Debian's dataset-fashion-mnist is not installed (/usr/share/datasets/fashion-mnist is missing; apt-get install dataset-fashion-mnist)")
run_suite "ONNX export (through ONNX Runtime)" tests/Onnx.Tests/MLNetNN.Onnx.Tests.csproj

# Runs the module's Pester suite against the PowerShell tests' output folder (the module, the data and Pester as that build
# laid them out) and counts what it closes with: "Pester: N passed, N failed, N skipped".
run_pester() {
  local out log line rc
  echo "=== PowerShell module, Pester suite (tests/PSModule.Pester)"
  out=$(dotnet msbuild tests/PSModule.Tests/MLNetNN.PSModule.Tests.csproj -nologo -getProperty:TargetDir -p:Configuration=Release)
  log=$(mktemp)
  dotnet pwsh -NoProfile -NonInteractive -File tests/PSModule.Pester/Invoke-PesterSuite.ps1 -TestOutput "$out" 2>&1 | tee "$log"
  rc=${PIPESTATUS[0]}
  while IFS= read -r t; do failed_tests+=("Pester: $t"); done < <(sed -E 's/\x1b\[[0-9;]*m//g' "$log" | sed -nE 's/^\s*\[-\] //p')
  line=$(grep -E '^Pester: [0-9]+ passed, [0-9]+ failed, [0-9]+ skipped$' "$log" | tail -1)
  if [ -n "$line" ]; then
    passed=$((passed + $(sed -E 's/^Pester: ([0-9]+) passed.*/\1/' <<<"$line")))
    failed=$((failed + $(sed -E 's/.* ([0-9]+) failed.*/\1/' <<<"$line")))
    skipped=$((skipped + $(sed -E 's/.* ([0-9]+) skipped$/\1/' <<<"$line")))
  else
    failed=$((failed + 1))
  fi
  [ "$rc" -ne 0 ] && status=1
  rm -f "$log"
}

if [ -f tests/PSModule.Tests/MLNetNN.PSModule.Tests.csproj ]; then
  # PowerShell is the repository's local tool: `dotnet tool restore` installs the pinned version and `dotnet pwsh` runs it, so
  # nothing is needed on PATH. Without it the end-to-end tests report themselves skipped, and the Pester suite is not run.
  pwsh_log=$(mktemp); tool_source=()
  [ -n "${MLNETNN_NUGET_SOURCE:-}" ] && tool_source=(--add-source "$MLNETNN_NUGET_SOURCE")
  if dotnet tool restore "${tool_source[@]+"${tool_source[@]}"}" >"$pwsh_log" 2>&1; then pwsh_ok=1; else pwsh_ok=0; cat "$pwsh_log"; fi
  rm -f "$pwsh_log"
  run_suite "PowerShell module" tests/PSModule.Tests/MLNetNN.PSModule.Tests.csproj
  if [ $pwsh_ok -eq 1 ]; then
    run_pester
  else
    not_run+=("PowerShell module, Pester suite and end-to-end sessions: \`dotnet tool restore\` could not install PowerShell from .config/dotnet-tools.json (see above); the cmdlet logic was still tested")
  fi
fi

if [ -f tests/MLNetTrainer.Tests/MLNetNN.MLNet.Tests.csproj ]; then
  # The adapter references the lowest Microsoft.ML it supports (5.0.1) and is tested against the newest (6.0.0) too, built
  # apart under artifacts/ (MSBuild reads the two properties from the environment); a test checks which version ran.
  for mlnet in 5.0.1 6.0.0; do
    settings=(MLNETNN_EXPECT_MLNET=$mlnet)
    [ $mlnet != 5.0.1 ] && settings+=(MicrosoftMLVersion=$mlnet ArtifactsPath="$PWD/artifacts/mlnet-$mlnet")
    restorable tests/MLNetTrainer.Tests/MLNetNN.MLNet.Tests.csproj Microsoft.ML "${settings[@]}"; r=$?
    if [ $r -eq 0 ]; then
      run_suite "ML.NET adapter on Microsoft.ML $mlnet" tests/MLNetTrainer.Tests/MLNetNN.MLNet.Tests.csproj "${settings[@]}"
    elif [ $r -eq 1 ]; then
      not_run+=("ML.NET adapter on Microsoft.ML $mlnet: the package could not be resolved from the configured NuGet sources, so src/MLNetTrainer and its tests were NOT built or run against it (set MLNETNN_NUGET_SOURCE to a source that has Microsoft.ML $mlnet)")
    else
      status=1; failed=$((failed + 1)); echo "ML.NET adapter on Microsoft.ML $mlnet: restore failed for a reason other than a missing Microsoft.ML (see above)."
    fi
  done
fi

echo
echo "=== Summary"
for n in "${not_run[@]+"${not_run[@]}"}"; do echo "NOT RUN: $n"; done
for n in "${skip_notes[@]+"${skip_notes[@]}"}"; do echo "SKIPPED: $n"; done
for t in "${failed_tests[@]+"${failed_tests[@]}"}"; do echo "FAILED: $t"; done
echo "$passed passed, $failed failed, $skipped skipped"
exit $status
