#!/usr/bin/env bash
# Downloads Mesa >= 25 lavapipe (a software Vulkan driver that Dawn accepts) from Debian bookworm-backports as .debs,
# for `run.sh OUT --vulkan-debs DIR`: the CI test uses it to run the bundle's WebGPU path without a GPU.
#
#   bash tools/gpu-bundle/fetch-lavapipe.sh [DIR]      (default tools/gpu-bundle/.cache/lavapipe; prints DIR)
#
# Debian 12's own Mesa 22 lavapipe is rejected by Dawn (it lacks shaderUniform*ArrayDynamicIndexing). Nothing is
# installed: apt runs with a private sources list and state under the cache folder, and only downloads. Packages the
# driver needs that this machine lacks (e.g. libllvm15 on a machine without Mesa) are downloaded too.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
dest=${1:-"$here/.cache/lavapipe"}
if ls "$dest"/mesa-vulkan-drivers_*.deb >/dev/null 2>&1; then
  echo "$dest"
  exit 0
fi
command -v apt-get >/dev/null || { echo "fetch-lavapipe.sh: apt-get is needed (Debian or Ubuntu)" >&2; exit 2; }
state="$here/.cache/apt-backports"
mkdir -p "$state/lists/partial" "$state/cache/archives/partial" "$state/parts"
keyring=/usr/share/keyrings/debian-archive-keyring.gpg
[ -f "$keyring" ] || { echo "fetch-lavapipe.sh: $keyring is missing: this script expects Debian 12 (bookworm)" >&2; exit 2; }
{
  echo "deb [signed-by=$keyring] http://deb.debian.org/debian bookworm main"
  echo "deb [signed-by=$keyring] http://deb.debian.org/debian bookworm-backports main"
} > "$state/sources.list"
apt_opts=(-o "Dir::State::Lists=$state/lists" -o "Dir::Cache=$state/cache" -o "Dir::Etc::SourceList=$state/sources.list"
  -o "Dir::Etc::SourceParts=$state/parts" -o "Dir::State::status=/var/lib/dpkg/status" -o APT::Architecture=amd64
  -o APT::Architectures=amd64 -o APT::Sandbox::User=root)
apt-get "${apt_opts[@]}" update -qq

# The driver and the two libdrm packages it needs newer than bookworm's, from backports; then every package of its
# dependency closure that dpkg says is not installed here, from bookworm.
backports="mesa-vulkan-drivers libdrm2 libdrm-amdgpu1"
closure=$(apt-cache "${apt_opts[@]}" depends --recurse --no-recommends --no-suggests --no-conflicts --no-breaks \
  --no-replaces --no-enhances mesa-vulkan-drivers/bookworm-backports 2>/dev/null | grep -E '^[a-z0-9]' | sort -u)
missing=""
for pkg in $closure; do
  case " $backports libvulkan1 " in *" $pkg "*) continue ;; esac
  dpkg -s "$pkg" >/dev/null 2>&1 || missing="$missing $pkg"
done
mkdir -p "$dest.tmp"
# shellcheck disable=SC2086
(cd "$dest.tmp" && apt-get "${apt_opts[@]}" download -qq $(for p in $backports; do echo "$p/bookworm-backports"; done) $missing)
rm -rf "$dest" && mv "$dest.tmp" "$dest"
echo "fetch-lavapipe.sh: downloaded $(ls "$dest" | wc -l) .debs ($(du -sh "$dest" | cut -f1)); not installed here:${missing:- none}" >&2
echo "$dest"
