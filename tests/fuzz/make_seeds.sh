#!/usr/bin/env bash
# Rebuilds the seed corpora in tests/fuzz/corpus/ from the shipped files and the test data
# (docs/fuzzing.md). The snapshot and engine-state seeds come from stores: the schema-2 and
# schema-4 stores of the migration tests (snapshot formats 1 and 2, and 7: the last fixed-width
# one) and a small store simulated now with the `workflow` tool given as $1 (the current
# format). Run it after a format change.
#   tests/fuzz/make_seeds.sh build/tools/workflow
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cli=${1:?usage: make_seeds.sh path/to/workflow}
corpus=$root/tests/fuzz/corpus
rm -rf "$corpus"
mkdir -p "$corpus"/{rules,calendar,case_snapshot,engine_state}

# Rules: every file on its own, and whole rule sets as one input (the target splits at NULs).
joined() {  # joined <out> <files...>
  local out=$1 first=1 f
  shift
  : >"$out"
  for f in "$@"; do
    ((first)) || printf '\0' >>"$out"
    first=0
    cat "$f" >>"$out"
  done
}
for set in "$root"/rules/ningdu "$root"/rules/sandu "$root"/tests/data/rules/{good,engine,driver,many-problems,unparsable-file} \
           "$root"/tests/data/rules/bad/*; do
  name=$(basename "$set")
  # Regular files only: the test data holds symbolic links to /dev/zero and FIFOs on purpose.
  mapfile -t files < <(find "$set" -maxdepth 1 -type f \( -name '*.yaml' -o -name '*.yml' \) | sort)
  ((${#files[@]})) || continue
  joined "$corpus/rules/set-$name" "${files[@]}"
  [ "$name" = sandu ] || continue  # ningdu's files are in its whole set already
  for f in "${files[@]}"; do cp "$f" "$corpus/rules/$name-$(basename "$f")"; done
done

# Calendar: the shipped years and the test data's bad ones.
for f in "$root"/rules/calendar/*.yaml; do cp "$f" "$corpus/calendar/$(basename "$f")"; done
for f in "$root"/tests/data/calendar/*/*.yaml; do
  [ -f "$f" ] && [ ! -L "$f" ] || continue
  cp "$f" "$corpus/calendar/$(basename "$(dirname "$f")")-$(basename "$f")"
done

# Snapshots and engine states: a sample of each store's cases (every 25th), and its state.
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
"$cli" simulate --db "$scratch/hall.db" --days 3 --seed 1 --force >/dev/null
for db in "$root"/tests/data/stores/ningdu-schema{2,4}.db "$scratch/hall.db"; do
  tag=$(basename "$db" .db)
  sqlite3 "$db" "SELECT writefile('$corpus/case_snapshot/$tag-' || id, encoded) FROM cases
                 WHERE id % 25 = 1 ORDER BY id;" >/dev/null
  sqlite3 "$db" "SELECT writefile('$corpus/engine_state/$tag', value) FROM engine
                 WHERE key = 'state';" >/dev/null
done
echo "seeds: $(for t in rules calendar case_snapshot engine_state; do
  printf '%s %s  ' "$t" "$(ls "$corpus/$t" | wc -l)"; done)"
