#!/usr/bin/env bash
# Installs milestone-check for the GitHub Action (action.yml): the prebuilt
# binary of the action's own release for this runner's platform, verified
# against that release's SHA256SUMS. A ref with no release (a branch, a
# commit) or a platform with no prebuilt binary is built from the action's
# own source with `cargo install`, and the log says so.
#
#   install-milestone-check.sh plan     what would be installed, and where
#   install-milestone-check.sh install  download (or build) and install it
#
# Both write `key=value` lines to $GITHUB_OUTPUT when it is set (and print
# them): target, asset, root (the install root), bin (the binary), and
# cache-key (empty when the ref can move, as a branch does).
#
# Environment:
#   M13_REF            the action's ref (github.action_ref): v0.2.0, main, a commit
#   M13_REPOSITORY     the action's repository (github.action_repository), owner/name
#   M13_ROOT           the install root; the binary goes in its bin/
#   M13_SOURCE         the action's own checkout (github.action_path), for cargo install
#   M13_DOWNLOAD_BASE  where releases are downloaded from (https://github.com;
#                      tests point it at a local server)
#   M13_UNAME_S, M13_UNAME_M  stand in for `uname -s` and `uname -m` (tests)
#   M13_CARGO          the cargo to build with (tests)
set -euo pipefail

say() { echo "milestone-check: $*" >&2; }
fail() {
  say "$*"
  exit 1
}

ref="${M13_REF:-}"
repository="${M13_REPOSITORY:-cis-92/milestone-check}"
root="${M13_ROOT:-${RUNNER_TEMP:-${TMPDIR:-/tmp}}/milestone-check}"
source_dir="${M13_SOURCE:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}"
base="${M13_DOWNLOAD_BASE:-https://github.com}"
cargo="${M13_CARGO:-cargo}"
uname_s="${M13_UNAME_S:-$(uname -s)}"
uname_m="${M13_UNAME_M:-$(uname -m)}"

# The release's asset for this platform: the target triple it was built
# for. Empty when the release has none (the build falls back to cargo).
target_for() {
  local arch os
  case "$2" in
    x86_64 | amd64) arch=x86_64 ;;
    aarch64 | arm64) arch=aarch64 ;;
    *) return 0 ;;
  esac
  case "$1" in
    Linux) os=unknown-linux-musl ;;
    Darwin) os=apple-darwin ;;
    MINGW* | MSYS* | CYGWIN* | Windows_NT)
      # Only x86_64 is built for Windows.
      [ "$arch" = x86_64 ] || return 0
      os=pc-windows-msvc
      ;;
    *) return 0 ;;
  esac
  echo "$arch-$os"
}

target="$(target_for "$uname_s" "$uname_m")"
case "$target" in
  *windows*) asset="milestone-check-$target.zip" exe=milestone-check.exe ;;
  "") asset="" exe=milestone-check ;;
  *) asset="milestone-check-$target.tar.gz" exe=milestone-check ;;
esac
case "$uname_s" in
  MINGW* | MSYS* | CYGWIN* | Windows_NT) exe=milestone-check.exe ;;
esac
bin="$root/bin/$exe"

# A version tag or a full commit names one build for good; a branch moves,
# so its build is not cached.
cache_key=""
if [[ "$ref" =~ ^v[0-9]+\.[0-9]+\.[0-9]+ || "$ref" =~ ^[0-9a-f]{40}$ ]]; then
  cache_key="milestone-check-$ref-${target:-$uname_s-$uname_m}"
fi

output() {
  echo "$1=$2"
  if [ -n "${GITHUB_OUTPUT:-}" ]; then echo "$1=$2" >>"$GITHUB_OUTPUT"; fi
}

plan() {
  output target "$target"
  output asset "$asset"
  output root "$root"
  output bin "$bin"
  output cache-key "$cache_key"
}

sha256() {
  if command -v sha256sum >/dev/null 2>&1; then
    sha256sum "$1" | cut -d' ' -f1
  else
    shasum -a 256 "$1" | cut -d' ' -f1
  fi
}

# Downloads $1 to $2 (following GitHub's redirect to its storage) and
# prints the HTTP status; 000 when there was no answer at all.
download() {
  curl --silent --show-error --location --retry 3 --output "$2" --write-out '%{http_code}' "$1" || true
}

from_source() {
  say "$1: building it from the action's source with cargo install (several minutes; a release tag such as v0.2.0 downloads a prebuilt binary instead)"
  command -v "$cargo" >/dev/null 2>&1 ||
    fail "cargo is not installed on this runner, and building from source needs it: use a released version of the action (uses: $repository@v0.2.0)"
  # A commit ref is the commit built; a branch name is not a commit.
  if [[ "$ref" =~ ^[0-9a-f]{40}$ ]]; then export M13_BUILD_COMMIT="$ref"; fi
  "$cargo" install --locked --quiet --root "$root" --path "$source_dir/crates/cli"
}

install() {
  plan >/dev/null
  mkdir -p "$root/bin"
  if [ -z "$ref" ]; then
    from_source "the action runs from a local checkout (uses: ./), not a release"
  elif [ -z "$target" ]; then
    from_source "no prebuilt binary for $uname_s $uname_m"
  else
    local url status expected actual
    work="$(mktemp -d)"
    trap 'rm -rf "$work"' EXIT
    url="$base/$repository/releases/download/$ref"
    status="$(download "$url/SHA256SUMS" "$work/SHA256SUMS")"
    case "$status" in
      200)
        status="$(download "$url/$asset" "$work/$asset")"
        [ "$status" = 200 ] || fail "cannot download $url/$asset (HTTP $status)"
        expected="$(awk -v name="$asset" '$2 == name || $2 == "*" name { print $1 }' "$work/SHA256SUMS")"
        [ -n "$expected" ] || fail "the SHA256SUMS of $ref has no line for $asset"
        actual="$(sha256 "$work/$asset")"
        if [ "$actual" != "$expected" ]; then
          fail "checksum mismatch for $asset of $ref: SHA256SUMS says $expected, the download is $actual; not installing it"
        fi
        case "$asset" in
          *.zip)
            if command -v unzip >/dev/null 2>&1; then
              unzip -o -q "$work/$asset" "$exe" -d "$root/bin"
            else
              powershell -NoProfile -Command "Expand-Archive -Force -Path '$work/$asset' -DestinationPath '$work/unzipped'"
              cp "$work/unzipped/$exe" "$root/bin/$exe"
            fi
            ;;
          *) tar -xzf "$work/$asset" -C "$root/bin" "$exe" ;;
        esac
        chmod +x "$bin"
        say "downloaded $asset of $ref (checksum verified)"
        ;;
      404) from_source "no release for $ref (a branch or a commit)" ;;
      *) fail "cannot download $url/SHA256SUMS (HTTP $status)" ;;
    esac
  fi
  [ -x "$bin" ] || fail "the install left no $bin"
  say "installed $("$bin" --version | head -n 1) at $bin"
  plan
}

case "${1:-}" in
  plan) plan ;;
  install) install ;;
  *) fail "usage: install-milestone-check.sh plan|install" ;;
esac
