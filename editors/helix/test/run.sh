#!/bin/sh
# Tries the Helix setup (editors/helix/languages.toml) in a real Helix, in a tmux
# terminal: a bot with a fixable finding (trailing whitespace, RL501) is opened, the
# finding must show, its quick fix (space a, the first action) is applied and written
# (:w), then the file on disk must hold the fixed text.
#
#   editors/helix/test/run.sh HX [RASALINT]
#
# HX: the Helix binary; RASALINT: the binary (default: target/debug/rasalint of this
# repository), put first on the PATH as `rasalint`. Needs tmux.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../../.." && pwd)
hx=$1
rasalint=${2:-$repo/target/debug/rasalint}

work=$(mktemp -d)
session=rasalint-hx-$$
trap 'tmux kill-session -t "$session" 2>/dev/null || true; rm -rf "$work"' EXIT
mkdir -p "$work/bin" "$work/bot/data" "$work/config/helix"
ln -s "$rasalint" "$work/bin/rasalint"
cp "$here/../languages.toml" "$work/config/helix/languages.toml"
printf 'intents:\n  - greet\n' > "$work/bot/domain.yml"
printf '## intent:greet\n- hi \n- hello\n' > "$work/bot/data/nlu.md"

screen() { tmux capture-pane -p -t "$session"; }
# Waits up to 20 s for the screen to show $1.
wait_for() {
  tries=0
  until screen | grep -q -- "$1"; do
    tries=$((tries + 1))
    if [ "$tries" -gt 100 ]; then
      echo "FAIL: the screen never showed '$1':" >&2
      screen >&2
      exit 1
    fi
    sleep 0.2
  done
}

cd "$work/bot"
tmux new-session -d -s "$session" -x 140 -y 30 \
  "env PATH='$work/bin:$PATH' XDG_CONFIG_HOME='$work/config' HOME='$work' \
  ${HELIX_RUNTIME:+HELIX_RUNTIME='$HELIX_RUNTIME'} '$hx' data/nlu.md"
wait_for 'intent:greet'
# The status line counts the warnings (● 1) once the server has published them.
wait_for '● 1 '
tmux send-keys -t "$session" ']' 'd'
wait_for 'trailing whitespace'
tmux send-keys -t "$session" Space a
wait_for 'Fix RL501'
screen
tmux send-keys -t "$session" Enter
tmux send-keys -t "$session" ':w' Enter
wait_for 'written'
screen
text=$(cat data/nlu.md)
expected=$(printf '## intent:greet\n- hi\n- hello\n')
if [ "$text" != "$expected" ]; then
  echo "FAIL: after the quick fix and :w the file is:" >&2
  od -c data/nlu.md >&2
  exit 1
fi
echo PASS
