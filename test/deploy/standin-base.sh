#!/usr/bin/env bash
# Builds local stand-ins for the official Node.js images that the Dockerfile's ARGs name, for a
# machine that reaches no container registry: Debian bookworm (mmdebstrap, from Debian's mirror)
# with this machine's Node.js and npm where the official images keep them (/usr/local), its `node`
# user (uid 1000), and for the build stage what the full image adds: python3, make and g++.
# Without a download of Node's headers or of better-sqlite3's prebuilt binary, node-gyp compiles
# against the headers shipped beside node (npm_config_nodedir), as the official image would after
# downloading them; and npm trusts the certificate authorities this machine's npm trusts
# (npm_config_cafile), as it does on a user's network. Kept between runs: it does nothing when both images exist.
# Usage: standin-base.sh RUNTIME_TAG BUILD_TAG
set -euo pipefail
runtime_tag=$1
build_tag=$2
P=(podman --storage-driver vfs --runtime runc)
R=(--cgroup-manager cgroupfs --network host --ulimit nofile=1024:1024 --ulimit nproc=1024:1024)

if "${P[@]}" image exists "$runtime_tag" && "${P[@]}" image exists "$build_tag"; then exit 0; fi

node_bin=$(command -v node)
node_prefix=$(dirname "$(dirname "$(readlink -f "$node_bin")")")
npm_dir=$(dirname "$(dirname "$(readlink -f "$(command -v npm)")")")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

mmdebstrap --quiet --variant=minbase --include=ca-certificates,libstdc++6 bookworm "$work/rootfs.tar"
"${P[@]}" import --quiet "$work/rootfs.tar" localhost/sip-reset-standin/debian:bookworm >/dev/null
rm "$work/rootfs.tar"

mkdir -p "$work/runtime"
cp "$(readlink -f "$node_bin")" "$work/runtime/node"
cp -r "$npm_dir" "$work/runtime/npm"
cp -r "$node_prefix/include/node" "$work/runtime/include"
cat >"$work/runtime/Containerfile" <<'END'
FROM localhost/sip-reset-standin/debian:bookworm
COPY node /usr/local/bin/node
COPY npm /usr/local/lib/node_modules/npm
COPY include /usr/local/include/node
RUN ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm \
 && groupadd --gid 1000 node && useradd --uid 1000 --gid node --shell /bin/bash --create-home node
CMD ["node"]
END
"${P[@]}" build --quiet "${R[@]}" -t "$runtime_tag" "$work/runtime" >/dev/null

mkdir -p "$work/build"
cp "$(npm config get cafile 2>/dev/null | grep -v '^null$' || echo /etc/ssl/certs/ca-certificates.crt)" "$work/build/ca.crt"
cat >"$work/build/Containerfile" <<END
FROM $runtime_tag
COPY ca.crt /usr/local/share/sip-reset-standin-ca.crt
ENV npm_config_cafile=/usr/local/share/sip-reset-standin-ca.crt
RUN apt-get update -qq && apt-get install -y -qq --no-install-recommends python3 make g++ >/dev/null \\
 && rm -rf /var/lib/apt/lists/*
ENV npm_config_nodedir=/usr/local
END
"${P[@]}" build --quiet "${R[@]}" -t "$build_tag" "$work/build" >/dev/null
"${P[@]}" rmi --force localhost/sip-reset-standin/debian:bookworm >/dev/null
