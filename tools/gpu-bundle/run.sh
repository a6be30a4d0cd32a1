#!/usr/bin/env bash
# Runs fedkit's GPU check from this bundle on a bare Linux x86-64 machine: no Node.js, no npm, no network needed.
#
#   bash run.sh OUT_DIR [--vulkan-debs DIR] [gpu-check flags: --quick, --only PARTS, --skip PARTS, ...]
#
# Writes OUT_DIR/gpu-check.json (the results) and OUT_DIR/gpu-check.log (everything printed). Exits 0 when the
# check ran, even when there is no GPU (the JSON and the log then say why and hold the fallback's figures).
# --vulkan-debs DIR: extra .debs holding a Vulkan driver (e.g. Mesa lavapipe), unpacked and offered to the loader.
# Unpacks into a temporary folder under $TMPDIR (about 130 MB) and removes it at exit; changes nothing else.
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
if [ $# -lt 1 ] || [ "${1#-}" != "$1" ]; then
  echo "usage: bash run.sh OUT_DIR [--vulkan-debs DIR] [gpu-check flags, e.g. --quick]" >&2
  exit 2
fi
mkdir -p "$1" || exit 2
out=$(cd "$1" && pwd)
shift
extra_debs=""
if [ "${1:-}" = "--vulkan-debs" ]; then
  extra_debs=$(cd "${2:?--vulkan-debs expects a folder}" && pwd) || exit 2
  shift 2
fi
log="$out/gpu-check.log"
: > "$log"
exec > >(tee -a "$log") 2>&1

if [ "$(uname -s)-$(uname -m)" != Linux-x86_64 ]; then
  echo "run.sh: this bundle carries Linux x86-64 binaries, but this machine is $(uname -s)-$(uname -m)"
  exit 3
fi
work=$(mktemp -d "${TMPDIR:-/tmp}/fedkit-gpu-bundle.XXXXXX") || exit 3
trap 'rm -rf "$work"' EXIT
say() { echo "[run.sh] $*"; }

unxz_to() {
  if command -v xz >/dev/null 2>&1; then
    xz -dc "$1" > "$2"
  elif command -v python3 >/dev/null 2>&1; then
    python3 -c 'import lzma, shutil, sys; shutil.copyfileobj(lzma.open(sys.argv[1]), open(sys.argv[2], "wb"))' "$1" "$2"
  else
    echo "run.sh: cannot decompress $1: neither xz nor python3 is installed"
    return 1
  fi
}

# A .deb is an ar archive holding data.tar.xz; dpkg-deb, else ar + tar + xz, else Python's own ar and tar readers.
unpack_deb() {
  local deb=$1 dest=$2
  mkdir -p "$dest"
  if command -v dpkg-deb >/dev/null 2>&1; then
    dpkg-deb -x "$deb" "$dest"
  elif command -v ar >/dev/null 2>&1 && command -v tar >/dev/null 2>&1 && command -v xz >/dev/null 2>&1; then
    local tmp
    tmp=$(mktemp -d "$work/ar.XXXXXX")
    (cd "$tmp" && ar x "$deb" && tar -xf data.tar.* -C "$dest")
  elif command -v python3 >/dev/null 2>&1; then
    python3 - "$deb" "$dest" <<'PY'
import io, sys, tarfile
deb, dest = sys.argv[1], sys.argv[2]
blob = open(deb, 'rb').read()
assert blob[:8] == b'!<arch>\n', deb + ' is not an ar archive'
pos = 8
while pos + 60 <= len(blob):
    name, size = blob[pos:pos + 16].decode().strip().rstrip('/'), int(blob[pos + 48:pos + 58].decode().strip())
    body = blob[pos + 60:pos + 60 + size]
    if name.startswith('data.tar'):
        with tarfile.open(fileobj=io.BytesIO(body), mode='r:*') as t:
            t.extractall(dest, **({'filter': 'tar'} if hasattr(tarfile, 'tar_filter') else {}))
        break
    pos += 60 + size + (size & 1)
else:
    sys.exit(deb + ' holds no data.tar')
PY
  else
    echo "run.sh: cannot unpack $deb: none of dpkg-deb, ar + tar, python3 is installed"
    return 1
  fi
}

has_lib() { ldconfig -p 2>/dev/null | grep -q "^[[:space:]]*$1 "; }

say "bundle: $(cat "$here/INFO" 2>/dev/null || echo '(no INFO file)')"
say "machine: $(uname -srm); $(nproc 2>/dev/null || echo '?') CPUs; unpacking into $work"
cp -r "$here/app" "$work/app" || exit 3
mkdir -p "$work/app/dist/linux-x64"
unxz_to "$here/node.xz" "$work/node" && chmod +x "$work/node" || exit 3
unxz_to "$here/dawn.node.xz" "$work/app/dist/linux-x64/dawn.node" || exit 3

# Vulkan: the machine's own loader when it has one; otherwise the bundled Debian loader, with only the libraries the
# machine lacks made visible (so the machine's own GL libraries win where it has them).
vulkan_source="system loader"
if has_lib libvulkan.so.1; then
  say "Vulkan loader: the machine's own ($(ldconfig -p | grep -m1 'libvulkan.so.1 ' | sed 's/.*=> //'))"
elif ls "$here"/vulkan/*.deb >/dev/null 2>&1; then
  for deb in "$here"/vulkan/*.deb; do unpack_deb "$deb" "$work/vk" || exit 3; done
  mkdir -p "$work/vk-lib"
  for lib in "$work"/vk/usr/lib/x86_64-linux-gnu/*.so.*; do
    name=$(basename "$lib")
    has_lib "$name" || ln -s "$lib" "$work/vk-lib/$name"
  done
  export LD_LIBRARY_PATH="$work/vk-lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
  vulkan_source="bundled loader: $(ls "$work/vk-lib" | tr '\n' ' ')"
  say "Vulkan loader: none on the machine; using the bundled one (made visible: $(ls "$work/vk-lib" | tr '\n' ' '))"
else
  vulkan_source="none"
  say "Vulkan loader: none on the machine and none in the bundle (built with --no-debs)"
fi
# NVIDIA containers often carry the driver's ICD file outside the loader's search path.
if [ -z "${VK_DRIVER_FILES:-}${VK_ICD_FILENAMES:-}" ] && ! ls /usr/share/vulkan/icd.d/*nvidia* /etc/vulkan/icd.d/*nvidia* >/dev/null 2>&1 \
  && [ -f /usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json ]; then
  export VK_DRIVER_FILES=/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json
  [ -f /usr/local/nvidia/share/glvnd/egl_vendor.d/10_nvidia.json ] && export __EGL_VENDOR_LIBRARY_FILENAMES=/usr/local/nvidia/share/glvnd/egl_vendor.d/10_nvidia.json
  say "NVIDIA ICD outside the loader's search path: VK_DRIVER_FILES=$VK_DRIVER_FILES"
fi
if [ -n "$extra_debs" ]; then
  for deb in "$extra_debs"/*.deb; do unpack_deb "$deb" "$work/vk-extra" || exit 3; done
  # These libraries go first: a newer driver needs its own newer helpers (Mesa 25 needs libdrm >= 2.4.121).
  export LD_LIBRARY_PATH="$work/vk-extra/usr/lib/x86_64-linux-gnu${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
  icds=$(ls "$work"/vk-extra/usr/share/vulkan/icd.d/lvp_icd*.json 2>/dev/null || ls "$work"/vk-extra/usr/share/vulkan/icd.d/*.json 2>/dev/null)
  icds=$(echo "$icds" | tr '\n' ':' | sed 's/:$//')
  export VK_ADD_DRIVER_FILES="$icds${VK_ADD_DRIVER_FILES:+:$VK_ADD_DRIVER_FILES}"
  vulkan_source="$vulkan_source; extra driver from $extra_debs ($icds)"
  say "extra Vulkan driver: VK_ADD_DRIVER_FILES=$VK_ADD_DRIVER_FILES"
fi
export XDG_RUNTIME_DIR="${XDG_RUNTIME_DIR:-$work}"
export FEDKIT_VULKAN_SOURCE="$vulkan_source"
export FEDKIT_GPU_BUNDLE_INFO="$(cat "$here/INFO" 2>/dev/null || echo unknown)"

say "node $("$work/node" -v) app/gpu-check.mjs --out $out $*"
"$work/node" "$work/app/gpu-check.mjs" --out "$out" "$@"
rc=$?
say "exit $rc; results: $out/gpu-check.json; log: $log"
exit $rc
