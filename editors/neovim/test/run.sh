#!/bin/sh
# Tries a Neovim setup of rasalint headless: a bot with a fixable finding, `:write`, then
# the fixed text must be on disk (see fix_on_save.lua).
#
#   editors/neovim/test/run.sh NVIM SETUP.lua [RASALINT]
#
# NVIM: the Neovim to run; SETUP.lua: editors/neovim/rasalint-0.11.lua or -0.8.lua;
# RASALINT: the binary (default: target/debug/rasalint of this repository), put first on
# the PATH as `rasalint`, since the setups run `rasalint server`.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../../.." && pwd)
nvim=$1
setup=$(cd "$(dirname "$2")" && pwd)/$(basename "$2")
rasalint=${3:-$repo/target/debug/rasalint}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/bin" "$work/bot/data" "$work/config" "$work/state" "$work/data"
ln -s "$rasalint" "$work/bin/rasalint"
printf 'intents:\n  - greet\n' > "$work/bot/domain.yml"
printf '## intent:greet\n- hi \n- hello\n' > "$work/bot/data/nlu.md"

cd "$work/bot"
# A home of its own: no user configuration, plugin or shada is read.
PATH="$work/bin:$PATH" XDG_CONFIG_HOME="$work/config" XDG_STATE_HOME="$work/state" \
XDG_DATA_HOME="$work/data" HOME="$work" \
  timeout 60 "$nvim" --headless -n -i NONE -u "$setup" \
  -c "luafile $here/fix_on_save.lua" data/nlu.md
