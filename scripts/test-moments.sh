#!/usr/bin/env bash
# Run the unit tests and the clock-sensitive stack tests as if it were another moment.
#
# Every process (pytest, the embedded Redis, and every process of the stack it starts: Rasa, the action
# server, the console, the arq worker) runs under libfaketime (Debian package `faketime`) with one relative
# offset, so that they all agree on the moment below and tick from there. Usage:
#   scripts/test-moments.sh                 # every moment
#   scripts/test-moments.sh dst-spring      # one moment, by name
# MOMENT_TESTS replaces the test paths (default: the unit tests and the clock-sensitive integration tests);
# extra pytest arguments can be given in PYTEST_ARGS.
set -uo pipefail
cd "$(dirname "$0")/.."

# name | start, UTC | the same moment in Europe/Paris
MOMENTS=(
  "saturday-night|2026-11-28 21:30:00|Saturday 28 November 2026, 22:30"
  "christmas-eve|2026-12-24 16:45:00|Thursday 24 December 2026, 17:45 (eve of a public holiday)"
  "dst-spring|2027-03-28 00:59:00|Sunday 28 March 2027, 01:59 CET, a minute before 03:00 CEST"
  "dst-autumn|2026-10-25 00:59:00|Sunday 25 October 2026, 02:59 CEST, a minute before 02:00 CET"
  "new-year-eve|2026-12-31 22:30:00|Thursday 31 December 2026, 23:30"
  "monday-afternoon|2026-12-07 14:47:00|Monday 7 December 2026, 15:47 (a CI run failed at that moment)"
  "after-last-slot|2026-12-08 16:20:00|Tuesday 8 December 2026, 17:20 (every counter closed for the day)"
  "monday-morning|2026-12-14 07:30:00|Monday 14 December 2026, 08:30 (before opening)"
)
# The clock-sensitive stack tests: booking, reminders, hand-off, idle timeout and waiting for a mediator.
STACK_TESTS="tests/integration/test_booking_stack.py tests/integration/test_booking_redis.py \
tests/integration/test_reminders_worker.py tests/integration/test_reminders_once.py \
tests/integration/test_handoff_stack.py tests/integration/test_idle_stack.py tests/integration/test_paused_stack.py"
# The unit tests (clock injected; run here to catch a stray date.today() or datetime.now()) at the moments that
# test the calendar itself: a weekend night, the eve of a holiday, both DST nights, the year's end. The stack's
# clock-sensitive tests at every moment. (Unit tests at all eight moments took CI too close to its 90 minutes.)
UNIT_MOMENTS="${UNIT_MOMENTS:-saturday-night christmas-eve dst-spring dst-autumn new-year-eve}"

if ! command -v faketime >/dev/null 2>&1; then
  echo "faketime is required: apt-get install faketime (Debian/Ubuntu) or brew install libfaketime" >&2
  exit 2
fi

PY=.venv/bin/python
failed=()
for entry in "${MOMENTS[@]}"; do
  IFS='|' read -r name utc paris <<<"$entry"
  if [ $# -gt 0 ] && [[ " $* " != *" $name "* ]]; then continue; fi
  echo ">>> $name: $paris"
  # A relative offset (not "@moment"): processes started later (the stack's) agree with pytest's clock.
  # TZ=UTC: the code under test uses Europe/Paris explicitly. Monotonic clocks stay real (timeouts and
  # asyncio keep working).
  if [ -n "${MOMENT_TESTS:-}" ]; then
    read -r -a TESTS <<<"$MOMENT_TESTS"
  elif [[ " $UNIT_MOMENTS " == *" $name "* ]]; then
    read -r -a TESTS <<<"tests/unit $STACK_TESTS"
  else
    read -r -a TESTS <<<"$STACK_TESTS"
  fi
  offset=$(( $(date -u -d "$utc" +%s) - $(date -u +%s) ))
  if TZ=UTC FAKETIME_DONT_FAKE_MONOTONIC=1 faketime -f "$(printf '%+d' "$offset")" \
      "$PY" -m pytest "${TESTS[@]}" -q ${PYTEST_ARGS:-}; then
    echo ">>> $name: passed"
  else
    echo ">>> $name: FAILED"
    failed+=("$name")
  fi
done
if [ ${#failed[@]} -gt 0 ]; then
  echo "Failed at: ${failed[*]}" >&2
  exit 1
fi
