#!/usr/bin/env bash
# Builds the fedkit GPU bundle: a self-contained folder (<= 60 MiB) that runs fedkit's GPU check on a bare
# Linux x86-64 machine without Node.js or network. See tools/gpu-bundle/README.md.
#
#   bash tools/gpu-bundle/build.sh [--out DIR] [--xz-level N] [--no-debs]
#
# --out DIR      where the bundle goes (default tools/gpu-bundle/.bundle, git-ignored); its contents are replaced
# --xz-level N   xz preset for the Node binary and dawn.node (default 1: 15 s instead of 80 s for -6 on 2 cores,
#                28.5 MB instead of 24.2 MB for Node)
# --no-debs      leave out the Vulkan loader .debs (for a machine without access to a Debian mirror)
#
# Needs: this repo after `npm ci`, xz, and apt-get (to download the loader .debs from Debian into a scratch apt
# state, never touching the machine's own apt sources). Compressed files are reused from tools/gpu-bundle/.cache
# while their source is unchanged.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
out="$here/.bundle"
cache="$here/.cache"
level=1
debs=1
while [ $# -gt 0 ]; do
  case "$1" in
    --out) out=$2; shift 2 ;;
    --xz-level) level=$2; shift 2 ;;
    --no-debs) debs=0; shift ;;
    *) echo "build.sh: unknown argument '$1'. Usage: build.sh [--out DIR] [--xz-level N] [--no-debs]" >&2; exit 2 ;;
  esac
done
case "$level" in [0-9]) ;; *) echo "build.sh: --xz-level expects 0-9, found '$level'" >&2; exit 2 ;; esac
if [ "$(uname -m)" != x86_64 ]; then
  echo "build.sh: the bundle carries this machine's Node binary for a Linux x86-64 target, but this machine is $(uname -m)" >&2
  exit 2
fi
for tool in xz node; do
  command -v "$tool" >/dev/null || { echo "build.sh: '$tool' is needed but not installed" >&2; exit 2; }
done
[ -x "$root/node_modules/.bin/esbuild" ] || { echo "build.sh: esbuild is missing: run 'npm ci' in $root first" >&2; exit 2; }

mkdir -p "$cache" "$out"
out=$(cd "$out" && pwd)
case "$out" in "$root"|"$root/"|/) echo "build.sh: refusing to use $out as the bundle folder" >&2; exit 2 ;; esac
find "$out" -mindepth 1 -delete
mkdir -p "$out/app" "$out/vulkan"
step() { echo "[gpu-bundle] $*"; }

# xz-compresses $1 into $2 unless the cached copy was made from the same file (path, size, mtime) at the same level.
compress_cached() {
  local src=$1 name=$2 stamp
  stamp="$(readlink -f "$src") $(stat -c '%s %Y' "$(readlink -f "$src")") level $level"
  if [ -f "$cache/$name" ] && [ "$(cat "$cache/$name.stamp" 2>/dev/null)" = "$stamp" ]; then
    step "$name: reused from $cache"
  else
    step "$name: xz -T2 -$level of $(du -h "$(readlink -f "$src")" | cut -f1) (about 15 s for Node at -1 on 2 cores)"
    xz -T2 "-$level" -c "$src" > "$cache/$name.tmp"
    mv "$cache/$name.tmp" "$cache/$name"
    echo "$stamp" > "$cache/$name.stamp"
  fi
  cp "$cache/$name" "$out/$name"
}

# 1. The check program and fedkit, bundled. The @fedkit packages are bundled from their dist/, so build them first.
step "building the @fedkit packages the check imports (tsc -b)"
(cd "$root" && npx tsc -b packages/core packages/losses packages/metrics packages/keras-adapter packages/learning \
  packages/runtime-wasm packages/runtime-gpu)
step "esbuild: src/gpu-check.ts -> app/gpu-check.mjs"
# The banner gives the ESM bundle what CommonJS code inside it expects: require (for node: built-ins and
# dawn.node) and __dirname (tfjs-backend-wasm reads its .wasm files from there).
banner="import { createRequire as __fkCreateRequire } from 'node:module'; import { fileURLToPath as __fkFileURLToPath } from 'node:url'; import { dirname as __fkDirname } from 'node:path'; const require = __fkCreateRequire(import.meta.url); const __filename = __fkFileURLToPath(import.meta.url); const __dirname = __fkDirname(__filename);"
"$root/node_modules/.bin/esbuild" "$here/src/gpu-check.ts" --bundle --platform=node --format=esm --target=node20 \
  --main-fields=main,module --outfile="$out/app/gpu-check.mjs" --banner:js="$banner" --log-level=warning \
  --legal-comments=none
# tfjs-backend-wasm looks for its binaries beside the script that loads it.
wasm_dir=$(cd "$root/packages/runtime-wasm" && node -p "require('path').dirname(require.resolve('@tensorflow/tfjs-backend-wasm'))")
cp "$wasm_dir"/*.wasm "$out/app/"

# 2. Dawn (webgpu's prebuilt dawn.node) and the Node binary this machine and CI run.
dawn=$(cd "$root/packages/runtime-gpu" && node -p "require('path').join(require('path').dirname(require.resolve('webgpu/package.json')), 'dist', 'linux-x64', 'dawn.node')")
[ -f "$dawn" ] || { echo "build.sh: $dawn is missing: the webgpu package (a dependency of @fedkit/runtime-gpu) is not installed" >&2; exit 2; }
compress_cached "$dawn" dawn.node.xz
node_bin=$(node -p process.execPath)
compress_cached "$node_bin" node.xz

# 3. The Vulkan loader and the GL vendor-neutral libraries NVIDIA's Vulkan driver needs, as Debian 12 .debs,
# downloaded with a private apt state so that the machine's own apt configuration is left alone.
if [ "$debs" = 1 ]; then
  pkgs="libvulkan1 libglvnd0 libegl1 libgl1 libglx0 libgles2 libopengl0"
  if ! ls "$cache"/debs/libvulkan1_*.deb >/dev/null 2>&1; then
    step "apt-get download $pkgs (scratch apt state in $cache/apt)"
    apt_state="$cache/apt"
    mkdir -p "$apt_state/lists/partial" "$apt_state/cache/archives/partial" "$apt_state/parts" "$cache/debs.tmp"
    codename=$(. /etc/os-release && echo "${VERSION_CODENAME:-bookworm}")
    echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian $codename main" > "$apt_state/sources.list"
    apt_opts=(-o "Dir::State::Lists=$apt_state/lists" -o "Dir::Cache=$apt_state/cache" -o "Dir::Etc::SourceList=$apt_state/sources.list"
      -o "Dir::Etc::SourceParts=$apt_state/parts" -o APT::Architecture=amd64 -o APT::Architectures=amd64 -o APT::Sandbox::User=root)
    apt-get "${apt_opts[@]}" update -qq
    # shellcheck disable=SC2086
    (cd "$cache/debs.tmp" && apt-get "${apt_opts[@]}" download -qq $pkgs)
    rm -rf "$cache/debs" && mv "$cache/debs.tmp" "$cache/debs"
  else
    step "Vulkan loader .debs: reused from $cache/debs"
  fi
  cp "$cache"/debs/*.deb "$out/vulkan/"
fi

# 4. The runner and what the bundle is.
cp "$here/run.sh" "$out/run.sh"
chmod +x "$out/run.sh"
commit=$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)
dirty=$(git -C "$root" status --porcelain 2>/dev/null | grep -q . && echo "+uncommitted changes" || true)
echo "fedkit gpu-bundle built $(date -u +%Y-%m-%dT%H:%M:%SZ) from commit $commit$dirty; Node $(node -v); webgpu $(node -p "require('$(dirname "$(dirname "$(dirname "$dawn")")")/package.json').version"); tfjs 4.22.0" > "$out/INFO"
(cd "$out" && find . -type f ! -name MANIFEST -exec sha256sum {} + | sort -k2) > "$out/MANIFEST"

size=$(du -sb "$out" | cut -f1)
limit=$((60 * 1024 * 1024))
step "bundle: $out, $(du -sh "$out" | cut -f1) ($size bytes)"
if [ "$size" -gt "$limit" ]; then
  echo "build.sh: the bundle is $size bytes, over the 60 MiB limit ($limit): raise --xz-level or carry less" >&2
  exit 1
fi
echo "$out"
