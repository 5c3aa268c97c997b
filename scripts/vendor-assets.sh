#!/usr/bin/env bash
# Fetch pinned front-end packages from the npm registry and copy their built files and licences into
# assets/vendor/<package>-<version>/. For maintainers only: the build and the running binary never need npm,
# the results are committed and embedded into the binary (rust-embed) from assets/.
#
# Usage: scripts/vendor-assets.sh            (run from anywhere inside the repository)
# To update a package: change its pinned version below, run this script, update the <link>/<script> paths in
# the templates, remove the old assets/vendor/<package>-<old-version>/ directory and commit.
set -euo pipefail

# Pinned versions. Change deliberately.
UTRECHT_CSS_VERSION="9.0.4"   # @utrecht/component-library-css, EUPL-1.2
HTMX_VERSION="2.0.11"         # htmx.org: stay on 2.0.x; 4.x is a new major with breaking changes (0BSD)

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
vendor_dir="$repo_root/assets/vendor"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

die() { echo "vendor-assets: $*" >&2; exit 1; }
command -v npm >/dev/null || die "npm is required"

# fetch <package> <version>: npm pack the exact version into $work and unpack it; prints the unpacked dir.
fetch() {
  local pkg="$1" version="$2" tarball dest
  dest="$work/$(echo "$pkg" | tr '/@' '__')-$version"
  mkdir -p "$dest"
  tarball="$(cd "$dest" && npm pack --silent "$pkg@$version" 2>/dev/null | tail -n 1)"
  [ -f "$dest/$tarball" ] || die "npm pack $pkg@$version failed"
  tar -xzf "$dest/$tarball" -C "$dest"
  [ -d "$dest/package" ] || die "$pkg@$version: tarball has no package/ directory"
  local got
  got="$(node -p "require('$dest/package/package.json').version")"
  [ "$got" = "$version" ] || die "$pkg: asked for $version, got $got"
  echo "$dest/package"
}

# check_licence <package dir> <expected SPDX id>
check_licence() {
  local dir="$1" expected="$2" declared
  declared="$(node -p "require('$dir/package.json').license")"
  [ "$declared" = "$expected" ] || die "$(basename "$dir"): package.json declares licence '$declared', expected '$expected'"
}

# copy_licences <package dir> <dest>: every LICENSE*/LICENCE*/COPYING*/NOTICE* at the top of the package.
copy_licences() {
  local src="$1" dest="$2" found=0 f
  for f in "$src"/LICEN[CS]E* "$src"/licen[cs]e* "$src"/COPYING* "$src"/NOTICE*; do
    [ -f "$f" ] || continue
    cp "$f" "$dest/"
    found=1
  done
  [ "$found" = 1 ] || die "no licence file found in $src"
}

# write_provenance <dest> <package> <version> <licence> <files...>
write_provenance() {
  local dest="$1" pkg="$2" version="$3" licence="$4"
  shift 4
  {
    echo "# $pkg $version"
    echo
    echo "- Source: npm package \`$pkg@$version\` (fetched with \`npm pack\` by scripts/vendor-assets.sh)"
    echo "- Licence: $licence (see the licence file in this directory)"
    echo "- Integrity (npm): $(npm view "$pkg@$version" dist.integrity 2>/dev/null || echo unknown)"
    echo "- Files copied unchanged:"
    local f
    for f in "$@"; do echo "  - \`$f\` (sha256 $(sha256sum "$dest/$(basename "$f")" | cut -d' ' -f1))"; done
  } >"$dest/PROVENANCE.md"
}

echo "==> @utrecht/component-library-css $UTRECHT_CSS_VERSION"
src="$(fetch @utrecht/component-library-css "$UTRECHT_CSS_VERSION")"
check_licence "$src" "EUPL-1.2"
css=""
for candidate in dist/index.min.css dist/index.css; do
  if [ -f "$src/$candidate" ]; then css="$candidate"; break; fi
done
[ -n "$css" ] || die "@utrecht/component-library-css: no dist/index.min.css or dist/index.css"
dest="$vendor_dir/utrecht-component-library-css-$UTRECHT_CSS_VERSION"
rm -rf "$dest" && mkdir -p "$dest"
cp "$src/$css" "$dest/"
copy_licences "$src" "$dest"
write_provenance "$dest" "@utrecht/component-library-css" "$UTRECHT_CSS_VERSION" "EUPL-1.2" "$css"
echo "    -> ${dest#"$repo_root"/}"

echo "==> htmx.org $HTMX_VERSION"
case "$HTMX_VERSION" in 2.0.*) ;; *) die "htmx must stay on 2.0.x (got $HTMX_VERSION)";; esac
src="$(fetch htmx.org "$HTMX_VERSION")"
check_licence "$src" "0BSD"
[ -f "$src/dist/htmx.min.js" ] || die "htmx.org: dist/htmx.min.js missing"
dest="$vendor_dir/htmx.org-$HTMX_VERSION"
rm -rf "$dest" && mkdir -p "$dest"
cp "$src/dist/htmx.min.js" "$dest/"
copy_licences "$src" "$dest"
write_provenance "$dest" "htmx.org" "$HTMX_VERSION" "0BSD" "dist/htmx.min.js"
echo "    -> ${dest#"$repo_root"/}"

echo "==> done; vendored files:"
(cd "$repo_root" && find assets/vendor -type f | sort)
