#!/bin/sh
# Fetch scikit-learn's example scripts as a benchmark corpus.
#
# Why a Debian package: it holds the examples as plain .py files at a fixed,
# versioned release, and `apt-get download` + `dpkg-deb -x` unpacks them without
# installing anything (no scikit-learn, no dependencies, no network beyond apt).
# Idempotent: an existing extraction is reused.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
dest="$here/corpus/sklearn-doc"
pkg=python-sklearn-doc

find_examples() {
    # The scripts live under usr/share/doc/<pkg>/examples; html/examples holds
    # rendered pages, so pick the "examples" directory with the most .py files.
    find "$dest" -type d -name examples 2>/dev/null | while read -r d; do
        echo "$(find "$d" -name '*.py' | wc -l) $d"
    done | sort -rn | awk '$1 > 0 {print $2; exit}'
}

if [ -d "$dest" ] && [ -n "$(find_examples)" ]; then
    echo "corpus already present" >&2
else
    mkdir -p "$dest"
    tmp=$(mktemp -d)
    trap 'rm -rf "$tmp"' EXIT
    cd "$tmp"
    # A fresh machine has empty package lists: update once if the package is unknown.
    if ! apt-get download "$pkg" >/dev/null 2>&1; then
        apt-get update >/dev/null
        apt-get download "$pkg"
    fi
    dpkg-deb -x "$tmp"/"$pkg"_*.deb "$dest"
fi

examples=$(find_examples)
if [ -z "$examples" ]; then
    echo "no examples directory found under $dest" >&2
    exit 1
fi
count=$(find "$examples" -name '*.py' | wc -l)
echo "$count example scripts in:" >&2
echo "$examples"
