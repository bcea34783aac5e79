#!/usr/bin/env bash
# Finds the milestone-13 release before the pushed tag, for the GitHub
# Action (action.yml): its tree is extracted into a directory named after
# the tag, which the check compares with (`--compare-to DIR`), so the job
# summary says what was fixed since then. No earlier tag, or one that
# cannot be fetched, is not an error: the check runs without a comparison.
#
# Writes `dir=...` to $GITHUB_OUTPUT when it is set (and prints it); empty
# when there is nothing to compare with.
#
# Environment:
#   BIN          the milestone-check binary (it picks the tag: `earlier-tags`)
#   CHECK_PATH   the checked-out release (a git work tree)
#   CURRENT      the pushed tag (github.ref_name)
#   EARLIER_DIR  where to extract the earlier release
set -euo pipefail

say() { echo "milestone-check: $*" >&2; }
output() {
  echo "$1"
  if [ -n "${GITHUB_OUTPUT:-}" ]; then echo "$1" >>"$GITHUB_OUTPUT"; fi
}
nothing() {
  say "$*"
  output "dir="
  exit 0
}

cd "${CHECK_PATH:-.}"
git rev-parse --is-inside-work-tree >/dev/null 2>&1 || nothing "${CHECK_PATH:-.} is not a git checkout: no earlier release to compare with"
# actions/checkout fetches no tags: ask the remote for their names too.
tags="$({
  git tag --list
  git ls-remote --tags --refs origin 2>/dev/null | sed 's#^.*refs/tags/##'
} | sort -u)"
earlier="$(printf '%s\n' "$tags" | "$BIN" earlier-tags "$CURRENT" | head -n 1)"
[ -n "$earlier" ] || nothing "no milestone-13 tag before $CURRENT: nothing to compare with"
if ! git rev-parse -q --verify "refs/tags/$earlier^{commit}" >/dev/null; then
  git fetch --quiet --no-tags --depth=1 origin "+refs/tags/$earlier:refs/tags/$earlier" ||
    nothing "cannot fetch the tag $earlier: no comparison"
fi
dir="${EARLIER_DIR:-${RUNNER_TEMP:-/tmp}/milestone-check-earlier}/$(printf '%s' "$earlier" | tr '/' '-')"
rm -rf "$dir"
mkdir -p "$dir"
git archive --format=tar "refs/tags/$earlier" | tar -x -C "$dir"
say "comparing with $earlier"
output "dir=$dir"
