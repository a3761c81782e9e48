#!/usr/bin/env bash
# The two commands of the README, and nothing else to remember:
#   ./do serve [slate serve options]   install what is missing, build (Release), run the server
#   ./do serve --sample [options]      the same, with the small sample production loaded first
#   ./do test  [ctest options]         install what is missing, build, run every test (ctest)
# On a fresh Debian 12 machine; as root, or as a user who may sudo apt-get.
set -euo pipefail
cd "$(dirname "$0")"

packages=(cmake ninja-build g++ ccache pkg-config libpoco-dev catch2 libpq-dev libcrypt-dev
          libssl-dev libtbb-dev libvips-dev libyaml-cpp-dev postgresql-15
          libavformat-dev libavcodec-dev libavfilter-dev libswscale-dev libswresample-dev
          libavutil-dev libldap-dev liblasso3-dev libopenimageio-dev libopencolorio-dev)
# Only the tests need them: clang for the fuzzing session, a browser for the playback check,
# OpenLDAP's server for the directory tests, python3-socketio (gazu's client) for the event stream,
# oiiotool for the stills benchmark, wrk and gnuplot for the benchmark report (slate-bench report),
# ffmpeg and vipsthumbnail (libvips-tools) for its media half (the command lines Slate is set beside)
# and for the movie benchmarks (Zou's command sequence beside Slate's).
test_packages=(clang libclang-rt-14-dev chromium slapd python3-socketio openimageio-tools wrk gnuplot-nox
               ffmpeg libvips-tools)

# The web app's socket.io client, from npm, for the event-stream tests (node and npm from
# Debian when the machine has none).
install_web_client() {
    if ! command -v npm >/dev/null; then
        packages+=(nodejs npm)
        install_missing
    fi
    [ -d tests/events/node_modules/socket.io-client ] \
        || (cd tests/events && npm ci --no-audit --no-fund --loglevel=error)
}

install_missing() {
    local missing=()
    for package in "${packages[@]}"; do
        dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" \
            || missing+=("$package")
    done
    [ ${#missing[@]} -eq 0 ] && return
    echo "Installing: ${missing[*]}"
    local sudo=()
    [ "$(id -u)" -ne 0 ] && sudo=(sudo)
    "${sudo[@]}" apt-get update -qq
    DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends \
        "${missing[@]}"
}

build() {
    cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
    cmake --build build
}

verb="${1:-}"
[ $# -gt 0 ] && shift
case "$verb" in
    serve)
        install_missing
        build
        if [ "${1:-}" = "--sample" ]; then
            shift
            # Only the data folder is the loader's business (not --host, --port).
            data=()
            args=("$@")
            for ((i = 0; i < ${#args[@]}; i++)); do
                case "${args[i]}" in
                    --data) data=(--data "${args[i + 1]:-}") ;;
                    --data=*) data=("${args[i]}") ;;
                esac
            done
            # Once per data folder: a second load of the same seed is refused, and that is fine.
            ./build/slate sample-production --size small "${data[@]}" \
                || echo "(sample production not loaded again; serving what is there)" >&2
        fi
        exec ./build/slate serve "$@"
        ;;
    test)
        packages+=("${test_packages[@]}")
        install_missing
        install_web_client
        build
        cd build
        exec ctest --output-on-failure --timeout 600 -j "$(nproc)" "$@"
        ;;
    *)
        echo "usage: ./do serve [--sample] [--host H] [--port P] [--data DIR] | ./do test [ctest options]" >&2
        exit 2
        ;;
esac
