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
# shellcheck source=hacking/emulator.sh
source "$here/emulator.sh"
config=""
if [[ ${1:-} == --config ]]; then
    config=$2
    shift 2
fi
[[ ${1:-} == -- ]] && shift

workdir=$(mktemp -d)
cleanup() {
    emulator_stop || true
    rm -rf "$workdir"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Strict: a form parameter an operation does not take fails the test that sends it (Twilio would ignore it).
emulator_start "$python" "$root/tests/emulator" "$workdir" --strict-params

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
