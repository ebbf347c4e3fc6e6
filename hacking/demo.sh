#!/usr/bin/env bash
# `make demo`: the chatops.twilio playbooks against the Twilio API emulator.
#
#   0. wire the example app                   (examples/chat-status-app: the inventory's copy
#                                              deploys it, and the chat webhooks name its /status)
#   1. provision dev, stage and prod          (three Chat services, and a Functions service
#                                              with one environment and domain per environment,
#                                              each serving the app, each webhook its own /status)
#   2. provision again                        (changed=0, no write request)
#   3. edit prod's channel_members, preview   (--check --diff: the one field, no write)
#   4. report                                 (tables, Functions domains and drift; read-only, changed=0)
#
# then the emulator's request counts per step. The emulator runs in the background on a
# free local port and is stopped when the script ends, fails or is interrupted.
#
# Env (set by the Makefile): VENV (the virtualenv), COLLECTIONS_ROOT (a directory holding
# ansible_collections/chatops/twilio). Without COLLECTIONS_ROOT the checkout itself is used.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
venv=${VENV:-$root/.venv}
python=$venv/bin/python
export PATH="$venv/bin:$PATH"
export ANSIBLE_CONFIG=${ANSIBLE_CONFIG:-$here/ansible.cfg}
export ANSIBLE_CALLBACK_RESULT_FORMAT=${ANSIBLE_CALLBACK_RESULT_FORMAT:-yaml}

# shellcheck source=hacking/emulator.sh
source "$here/emulator.sh"

workdir=$(mktemp -d "${TMPDIR:-/tmp}/chatops-twilio-demo.XXXXXX")
child_pid=""
cleanup() {
    if [[ -n $child_pid ]] && kill -0 "$child_pid" 2>/dev/null; then
        kill "$child_pid" 2>/dev/null || true
        wait "$child_pid" 2>/dev/null || true
    fi
    if emulator_stop; then
        echo "demo: emulator stopped"
    fi
    rm -rf "$workdir"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

if [[ -z ${COLLECTIONS_ROOT:-} ]]; then
    COLLECTIONS_ROOT=$workdir/collections
    mkdir -p "$COLLECTIONS_ROOT/ansible_collections/chatops"
    ln -s "$root" "$COLLECTIONS_ROOT/ansible_collections/chatops/twilio"
fi
export ANSIBLE_COLLECTIONS_PATH=$COLLECTIONS_ROOT
collection=$COLLECTIONS_ROOT/ansible_collections/chatops/twilio
emulator_control() { "$python" "$here/demo_emulator.py" "$@"; }

bold=""; reset=""
if [[ -t 1 ]]; then bold=$'\e[1m'; reset=$'\e[0m'; fi
banner() {
    printf '\n%s==== %s ====%s\n\n' "$bold" "$*" "$reset"
}

# --- the emulator ----------------------------------------------------------------------
# Never send real credentials anywhere: the playbooks get the emulator's test account.
banner "Starting the Twilio API emulator"
emulator_start "$python" "$collection/tests/emulator" "$workdir"
unset TWILIO_API_KEY TWILIO_API_SECRET  # sign in as the README tells users to: account SID and auth token
emulator_url=$TWILIO_EMULATOR_URL
echo "emulator:  $emulator_url (pid $EMULATOR_PID)"
echo "account:   $TWILIO_ACCOUNT_SID"
echo "modules:   TWILIO_API_BASE_URL=$TWILIO_API_BASE_URL"

# The example inventory, copied so that step 3 can edit it.
cp -R "$collection/playbooks/inventory" "$workdir/inventory"
inventory=$workdir/inventory

steps=()
counts=()
run_step() {  # run_step TITLE ansible-playbook ARGS...
    local title=$1
    shift
    banner "$title"
    echo "\$ ${*/#$collection\//}"
    echo
    emulator_control clear "$emulator_url"
    # In the background, so that a signal reaches the trap (and the playbook) at once.
    "$@" &
    child_pid=$!
    wait "$child_pid"
    child_pid=""
    steps+=("$title")
    counts+=("$(emulator_control count "$emulator_url")")
}
expect_no_writes() {  # expect_no_writes WHAT: stop the demo if the last step sent a write request
    local get post delete
    read -r get post delete <<<"${counts[-1]}"
    if ((post + delete != 0)); then
        echo "demo: $1 sent write requests" >&2
        exit 1
    fi
}

# --- 0. wire the example app --------------------------------------------------------------
# The shipped inventory points the webhooks at example URLs (an installed collection has no
# examples/): the demo's copy deploys examples/chat-status-app and names its Function instead.
banner "0. Wire the example app: deploy examples/chat-status-app, webhooks -> /status"
"$python" - "$inventory/group_vars" "$collection/examples/chat-status-app" <<'PY'
import difflib, os, sys
group_vars, app = sys.argv[1:]
edits = {
    'all.yml': [('  post_webhook_url: https://hooks.staging.example.com/twilio/chat\n', '  post_webhook_function: /status\n'),
                ('chat_environments_functions: true\n', 'chat_environments_functions: true\nchat_environments_functions_source: %s\n' % app)],
    'prod.yml': [('  post_webhook_url: https://hooks.example.com/twilio/chat/post\n', '  post_webhook_function: /status\n')],
}
for name, replacements in edits.items():
    path = os.path.join(group_vars, name)
    old = new = open(path).read()
    for before, after in replacements:
        if new.count(before) != 1:
            sys.exit('demo: did not find %r in %s' % (before.strip(), path))
        new = new.replace(before, after)
    open(path, 'w').write(new)
    diff = difflib.unified_diff(old.splitlines(True), new.splitlines(True), 'group_vars/' + name, 'group_vars/%s (edited)' % name, n=0)
    sys.stdout.writelines(line.replace(os.path.dirname(os.path.dirname(app)) + '/', '') for line in diff)
PY

# --- 1. provision ------------------------------------------------------------------------
run_step "1. Provision dev, stage and prod" \
    ansible-playbook -i "$inventory" chatops.twilio.provision

# --- 2. provision again: nothing to do ---------------------------------------------------
run_step "2. Provision again (idempotent: expect changed=0)" \
    ansible-playbook -i "$inventory" chatops.twilio.provision
expect_no_writes "the second provision run"

# --- 3. change one override, preview it --------------------------------------------------
banner "3. Edit group_vars/prod.yml: limits.channel_members 500 -> 1000"
"$python" - "$inventory/group_vars/prod.yml" <<'PY'
import difflib, re, sys
path = sys.argv[1]
old = open(path).read()
new, n = re.subn(r'(?m)^(\s+channel_members:) 500$', r'\1 1000', old)
if n != 1:
    sys.exit('demo: did not find channel_members: 500 in %s' % path)
open(path, 'w').write(new)
sys.stdout.writelines(difflib.unified_diff(old.splitlines(True), new.splitlines(True),
                                           'group_vars/prod.yml', 'group_vars/prod.yml (edited)'))
PY
run_step "3. Preview the change (--check --diff: the one field, no write)" \
    ansible-playbook -i "$inventory" chatops.twilio.provision --check --diff
expect_no_writes "the check-mode run"

# --- 4. report ---------------------------------------------------------------------------
run_step "4. Report: services, settings, Functions domains, drift (read-only)" \
    ansible-playbook -i "$inventory" chatops.twilio.report
expect_no_writes "the report"

# --- summary -----------------------------------------------------------------------------
banner "Requests the emulator received per step"
# At most 80 columns: each step by its title without the parenthesis.
printf '%-56s %5s %5s %7s\n' "step" "GET" "POST" "DELETE"
for i in "${!steps[@]}"; do
    read -r get post delete <<<"${counts[$i]}"
    printf '%-56s %5s %5s %7s\n' "${steps[$i]%% (*}" "$get" "$post" "$delete"
done
echo
echo "Steps 2 to 4 only read: the idempotent run, the preview and the report"
echo "sent no write request. Against real Twilio: set TWILIO_ACCOUNT_SID and"
echo "TWILIO_AUTH_TOKEN, leave TWILIO_API_BASE_URL unset (see playbooks/README.md)."
