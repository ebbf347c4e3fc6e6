#!/usr/bin/env bash
# Run a command with the Twilio API emulator listening on a free local port.
#
# Usage: hacking/with_emulator.sh [--config FILE] -- COMMAND [ARGS...]
#
# Exports for COMMAND: TWILIO_EMULATOR_URL (control endpoints), TWILIO_API_BASE_URL
# (what the modules use, with the {product} placeholder), TWILIO_ACCOUNT_SID,
# TWILIO_AUTH_TOKEN, TWILIO_API_KEY, TWILIO_API_SECRET (the emulator's test account).
# With --config FILE it also writes those values as an ansible-test integration_config.yml.
# The emulator is stopped when COMMAND ends, fails or is interrupted.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
python=${VENV:-$root/.venv}/bin/python
config=""
if [[ ${1:-} == --config ]]; then
    config=$2
    shift 2
fi
[[ ${1:-} == -- ]] && shift

workdir=$(mktemp -d)
emulator_pid=""
cleanup() {
    if [[ -n $emulator_pid ]] && kill -0 "$emulator_pid" 2>/dev/null; then
        kill "$emulator_pid" 2>/dev/null || true
        wait "$emulator_pid" 2>/dev/null || true
    fi
    rm -rf "$workdir"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# The emulator serves its own test account; drop any real credentials from the caller's environment.
unset TWILIO_ACCOUNT_SID TWILIO_AUTH_TOKEN TWILIO_API_KEY TWILIO_API_SECRET TWILIO_REGION TWILIO_EDGE

PYTHONPATH="$root/tests/emulator" "$python" -m twilio_emulator --port 0 --port-file "$workdir/port" \
    >"$workdir/emulator.log" 2>&1 &
emulator_pid=$!

for _ in $(seq 1 100); do
    [[ -s $workdir/port ]] && break
    if ! kill -0 "$emulator_pid" 2>/dev/null; then
        cat "$workdir/emulator.log" >&2
        echo "with_emulator: the emulator exited before it listened" >&2
        exit 1
    fi
    sleep 0.1
done
[[ -s $workdir/port ]] || { echo "with_emulator: the emulator did not start within 10 s" >&2; exit 1; }

port=$(cat "$workdir/port")
export TWILIO_EMULATOR_URL="http://127.0.0.1:$port"
export TWILIO_API_BASE_URL="$TWILIO_EMULATOR_URL/{product}"
eval "$(PYTHONPATH="$root/tests/emulator" "$python" -c '
import twilio_emulator as e
print("export TWILIO_ACCOUNT_SID=%s TWILIO_AUTH_TOKEN=%s TWILIO_API_KEY=%s TWILIO_API_SECRET=%s"
      % (e.DEFAULT_ACCOUNT_SID, e.DEFAULT_AUTH_TOKEN, e.DEFAULT_API_KEY, e.DEFAULT_API_SECRET))
')"

if [[ -n $config ]]; then
    mkdir -p "$(dirname "$config")"
    cat >"$config" <<EOT
---
twilio_emulator_url: "$TWILIO_EMULATOR_URL"
twilio_api_base_url: "$TWILIO_API_BASE_URL"
twilio_account_sid: "$TWILIO_ACCOUNT_SID"
twilio_auth_token: "$TWILIO_AUTH_TOKEN"
twilio_api_key: "$TWILIO_API_KEY"
twilio_api_secret: "$TWILIO_API_SECRET"
EOT
fi

"$@"
