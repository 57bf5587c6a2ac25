#!/bin/sh
# Seeds each fuzz target's corpus (fuzz/corpus/<target>/) from the test fixtures:
# Markdown files for the three Markdown readers, domain.yml and config.yml files for
# theirs, every fixture bot as one input of the whole-check target, and a few
# rasalint.toml files, and the regex patterns of the RL206 tests (with python3). Files are named by content hash, so running it again adds nothing.
# Usage: fuzz/seed.sh   (from anywhere; writes only under fuzz/corpus/)
set -eu
fuzz=$(cd "$(dirname "$0")" && pwd)
fixtures="$fuzz/../fixtures"
corpus="$fuzz/corpus"
# Larger fixtures (the oracle's bulk files) slow every run and teach nothing new.
max_bytes=16384

# seed <target> <file>: copies <file> into the target's corpus under its hash.
seed() {
    mkdir -p "$corpus/$1"
    cp "$2" "$corpus/$1/$(sha1sum < "$2" | cut -c1-40)"
}

small() {
    find "$fixtures" -type f -name "$1" -size -"$max_bytes"c | sort
}

small '*.md' | while read -r file; do
    for target in nlu stories responses; do seed "$target" "$file"; done
done
small 'domain.yml' | while read -r file; do seed domain "$file"; done
find "$fixtures" -path '*/data/*' -type f -name '*.yml' -size -"$max_bytes"c | sort |
    while read -r file; do seed yaml_nlu "$file"; done
small 'config.yml' | while read -r file; do seed config "$file"; done

# The whole-check target reads: one options byte, then domain, config.yml and data files
# separated by 0xFF. A fixture bot is a folder with a domain.yml.
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
find "$fixtures" -name domain.yml | sort | while read -r domain; do
    bot=$(dirname "$domain")
    {
        printf '\003'
        cat "$domain"
        printf '\377'
        if [ -f "$bot/config.yml" ]; then cat "$bot/config.yml"; fi
        find "$bot" -name '*.md' -size -"$max_bytes"c | sort | head -n 8 | while read -r data; do
            printf '\377'
            cat "$data"
        done
    } > "$tmp"
    seed check "$tmp"
done

# rasalint.toml: the first byte picks the file name (0: rasalint.toml, 2: pyproject.toml).
settings() {
    printf "$1" > "$tmp"
    seed settings "$tmp"
}
settings '\000select = ["RL0", "RL1", "duplicate-example-across-intents"]\nextend-select = ["RL123"]\nignore = ["RL108"]\nfail-on-warnings = true\ndomain = ["domain.yml"]\ndata = ["data"]\n'
settings '\000min-examples = 2\nmax-ratio = 10\nmax-history = 5\n[per-file-ignores]\n"data/legacy/*.md" = ["RL2"]\n[severity]\nduplicate-example-in-intent = "error"\n'
settings '\000ignroe = ["RL2"]\n'
settings '\000max-history = 0\n'
settings '\002[tool.rasalint]\nselect = ["RL3"]\n[tool.rasalint.severity]\nRL301 = "warning"\n'

# The regex patterns whose Python verdicts the tests hold (one JSON array a line).
if command -v python3 > /dev/null; then
    python3 - "$fixtures/invalid-regex/verdicts.jsonl" "$corpus/python_regex" <<'PY'
import hashlib, json, os, sys
os.makedirs(sys.argv[2], exist_ok=True)
for line in open(sys.argv[1], encoding="utf-8"):
    if line.startswith("["):
        pattern = json.loads(line)[0].encode("utf-8", "surrogatepass")
        name = hashlib.sha1(pattern).hexdigest()
        open(os.path.join(sys.argv[2], name), "wb").write(pattern)
PY
fi

for target in "$corpus"/*; do
    echo "$(basename "$target"): $(ls "$target" | wc -l) seeds"
done
