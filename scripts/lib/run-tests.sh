# run_tests NAME PARALLEL_MODE [wrapper...]: runs tests/NAME's test executable (through the wrapper, if any), shows its
# failures, and adds its counts to $passed and $failed (the caller sets both and $results, a directory for the logs).
# A test host that crashed or printed no summary counts as one failure, and the run goes on: scripts/test must always
# reach its "N passed, N failed" line, which CI reads.
run_tests() {
  local name=$1 parallel=$2; shift 2
  local exe=tests/$name/bin/Release/net10.0/$name
  local log=$results/$name.log
  echo "== $name"
  set +e
  "$@" "$exe" -noColor -failSkips -parallelMode "$parallel" >"$log" 2>&1
  local rc=$?
  set -e
  grep -E -A8 '\[FAIL\]' "$log" | head -200 || true
  grep -E 'Total:' "$log" || true
  local total='' fail='' err='' skip='' notrun=''
  # read fails when the host printed no summary line: that is the case the fallback below is for, not an error.
  read -r total err fail skip notrun < <(sed -n 's/.*Total: \([0-9]*\), Errors: \([0-9]*\), Failed: \([0-9]*\), Skipped: \([0-9]*\), Not Run: \([0-9]*\).*/\1 \2 \3 \4 \5/p' "$log" | tail -1) || true
  if [ -z "$total" ]; then
    echo "$name did not report a summary (exit code $rc):"; tail -50 "$log"
    failed=$((failed + 1)); return 0
  fi
  passed=$((passed + total - fail - err - skip - notrun))
  failed=$((failed + fail + err + skip + notrun))
  if [ "$rc" -ne 0 ] && [ $((fail + err + skip + notrun)) -eq 0 ]; then
    echo "$name exited with $rc"; tail -30 "$log"; failed=$((failed + 1))
  fi
}
