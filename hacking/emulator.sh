# shellcheck shell=bash
# Shell functions that run the Twilio API emulator in the background; sourced by
# hacking/with_emulator.sh and hacking/demo.sh (bash).
#
#   emulator_start PYTHON EMULATOR_DIR WORKDIR
#       Drops real Twilio credentials from the environment, starts the emulator package in
#       EMULATOR_DIR with PYTHON on a free local port (its output in WORKDIR/emulator.log), waits
#       until it listens (10 s at most, else it fails naming the reason) and exports
#       TWILIO_EMULATOR_URL (control endpoints), TWILIO_API_BASE_URL (what the modules use, with the
#       {product} placeholder) and the emulator's test account: TWILIO_ACCOUNT_SID,
#       TWILIO_AUTH_TOKEN, TWILIO_API_KEY, TWILIO_API_SECRET. EMULATOR_PID is its process.
#   emulator_stop
#       Stops the emulator if it runs; returns 1 when there was none to stop. Call it from the
#       caller's EXIT trap, so that the emulator never outlives the script.

EMULATOR_PID=""

emulator_start() {
    # Arguments after the third go to the emulator (e.g. --strict-params).
    local python=$1 emulator_dir=$2 workdir=$3 me=${0##*/}
    shift 3
    # The emulator serves its own test account; never pass real credentials on.
    unset TWILIO_ACCOUNT_SID TWILIO_AUTH_TOKEN TWILIO_API_KEY TWILIO_API_SECRET TWILIO_API_BASE_URL \
        TWILIO_REGION TWILIO_EDGE

    PYTHONPATH="$emulator_dir" "$python" -m twilio_emulator --port 0 --port-file "$workdir/port" "$@" \
        >"$workdir/emulator.log" 2>&1 &
    EMULATOR_PID=$!
    local _
    for _ in $(seq 1 100); do
        [[ -s $workdir/port ]] && break
        if ! kill -0 "$EMULATOR_PID" 2>/dev/null; then
            cat "$workdir/emulator.log" >&2
            echo "$me: the emulator exited before it listened" >&2
            return 1
        fi
        sleep 0.1
    done
    [[ -s $workdir/port ]] || { echo "$me: the emulator did not listen within 10 s" >&2; return 1; }

    TWILIO_EMULATOR_URL="http://127.0.0.1:$(cat "$workdir/port")"
    export TWILIO_EMULATOR_URL TWILIO_API_BASE_URL="$TWILIO_EMULATOR_URL/{product}"
    local account
    account=$(PYTHONPATH="$emulator_dir" "$python" -c '
import twilio_emulator as e
print("export TWILIO_ACCOUNT_SID=%s TWILIO_AUTH_TOKEN=%s TWILIO_API_KEY=%s TWILIO_API_SECRET=%s"
      % (e.DEFAULT_ACCOUNT_SID, e.DEFAULT_AUTH_TOKEN, e.DEFAULT_API_KEY, e.DEFAULT_API_SECRET))
') || return 1
    eval "$account"
}

emulator_stop() {
    if [[ -n $EMULATOR_PID ]] && kill -0 "$EMULATOR_PID" 2>/dev/null; then
        kill "$EMULATOR_PID" 2>/dev/null || true
        wait "$EMULATOR_PID" 2>/dev/null || true
        EMULATOR_PID=""
        return 0
    fi
    return 1
}
