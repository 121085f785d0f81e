#!/usr/bin/env bash
# Builds the release binary a clinic installs, and prints its path on the last line.
#
#   scripts/build-release.sh            # then: sudo install -D "$(scripts/build-release.sh | tail -1)" /usr/local/bin/session-guide
#
# Why these flags (figures in docs/benchmarks.md):
#   --static-swift-stdlib           the Swift runtime and Foundation go inside the binary, so the clinic machine
#                                   needs no Swift installed, and start-up skips loading twenty libraries;
#   -use-ld=lld, pack-relative-relocs  the loader's relocation table shrinks from 2 MB to 16 kB (needs glibc 2.36+,
#                                   Debian 12 / Ubuntu 22.10 or later);
#   --no-export-dynamic             keeps the whole runtime's symbols out of the dynamic symbol table;
#   -Osize                          optimises our code and the packages' for size: the program idles between
#                                   deadlines, and fewer code pages touched is about 1 MB less resident memory.
#   --symbol-ordering-file          the functions the program runs (scripts/hot-functions.txt, written by
#                                   scripts/profile-hot-functions.sh) go together at the front of the binary:
#                                   2.7 MB less resident memory in a session, as fewer scattered pages are read.
# Together they bring peak memory from about 26 MB to about 18 MB. The build goes to its own folder, so it never
# rebuilds the debug build that `swift run` and `swift test` use.
set -euo pipefail
cd "$(dirname "$0")/.."
scratch=.build-static
# SwiftPM does not link again when only the linker's inputs change (a new function list): always link.
rm -f "$scratch/release/session-guide" "$scratch"/*/release/session-guide
swift build -c release --product session-guide --scratch-path "$scratch" \
    --static-swift-stdlib -Xswiftc -Osize \
    -Xswiftc -use-ld=lld -Xlinker -z -Xlinker pack-relative-relocs -Xlinker --no-export-dynamic \
    -Xlinker --symbol-ordering-file="$PWD/scripts/hot-functions.txt" -Xlinker --no-warn-symbol-ordering >&2
echo "$PWD/$scratch/release/session-guide"
