#!/bin/sh
# Installs the seshet binary for this machine from a release:
#
#   curl -fsSL https://github.com/seshet-irc/seshet/releases/latest/download/install.sh | sh
#
# Downloads seshet-VERSION-OS-ARCH.tar.gz (.zip on Windows) and SHA256SUMS,
# checks the archive against SHA256SUMS (and refuses it on a mismatch), and
# puts the binary in ~/.local/bin. Nothing is left behind when it fails.
#
#   PREFIX=/usr/local       install into $PREFIX/bin instead of ~/.local/bin
#   SESHET_VERSION=0.1.0    that release instead of the latest
#   SESHET_RELEASE_URL=URL  download from URL/SHA256SUMS and URL/ARCHIVE (a mirror, a test server)
set -eu

REPO_URL="https://github.com/seshet-irc/seshet"

fail() {
  echo "seshet install: $*" >&2
  exit 1
}

detect_os() {
  case "$(uname -s)" in
    Linux) echo linux ;;
    Darwin) echo darwin ;;
    MINGW* | MSYS* | CYGWIN* | Windows_NT) echo windows ;;
    *) fail "no seshet build for this operating system ($(uname -s)); builds exist for Linux, macOS and Windows" ;;
  esac
}

detect_arch() {
  case "$(uname -m)" in
    x86_64 | amd64 | x64)
      # An x64 shell under Rosetta on Apple silicon: the native build is better.
      if [ "$1" = darwin ] && [ "$(sysctl -n sysctl.proc_translated 2>/dev/null || echo 0)" = 1 ]; then
        echo arm64
      else
        echo x64
      fi
      ;;
    aarch64 | arm64) echo arm64 ;;
    *) fail "no seshet build for this processor ($(uname -m)); builds exist for x86-64 and arm64" ;;
  esac
}

# download URL FILE: fails (with the URL) on any HTTP error.
download() {
  if command -v curl >/dev/null 2>&1; then
    curl -fsSL --proto '=https,http' -o "$2" "$1" || fail "could not download $1"
  elif command -v wget >/dev/null 2>&1; then
    wget -q -O "$2" "$1" || fail "could not download $1"
  else
    fail "needs curl or wget to download"
  fi
}

sha256_of() {
  if command -v sha256sum >/dev/null 2>&1; then
    sha256sum "$1" | cut -d ' ' -f 1
  elif command -v shasum >/dev/null 2>&1; then
    shasum -a 256 "$1" | cut -d ' ' -f 1
  else
    fail "needs sha256sum or shasum to verify the download"
  fi
}

os=$(detect_os)
arch=$(detect_arch "$os")
ext=tar.gz
exe=seshet
if [ "$os" = windows ]; then
  ext=zip
  exe=seshet.exe
fi

if [ -n "${SESHET_RELEASE_URL:-}" ]; then
  base=${SESHET_RELEASE_URL%/}
elif [ -n "${SESHET_VERSION:-}" ]; then
  base="$REPO_URL/releases/download/v$SESHET_VERSION"
else
  base="$REPO_URL/releases/latest/download"
fi
bindir="${PREFIX:-$HOME/.local}/bin"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/seshet-install.XXXXXX") || fail "could not create a temporary directory"
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

download "$base/SHA256SUMS" "$tmp/SHA256SUMS"
# The archive's name carries the version; SHA256SUMS says which one this release holds.
archive=$(awk -v suffix="-$os-$arch.$ext" '
  substr($2, length($2) - length(suffix) + 1) == suffix && $2 ~ /^seshet-[0-9A-Za-z.+-]+$/ { print $2; exit }
' "$tmp/SHA256SUMS")
[ -n "$archive" ] || fail "the release at $base has no build for $os-$arch"
expected=$(awk -v name="$archive" '$2 == name { print $1; exit }' "$tmp/SHA256SUMS")

echo "seshet install: downloading $archive"
download "$base/$archive" "$tmp/$archive"
actual=$(sha256_of "$tmp/$archive")
if [ "$actual" != "$expected" ]; then
  fail "checksum mismatch for $archive: SHA256SUMS says $expected, the download is $actual; nothing was installed"
fi

mkdir "$tmp/x"
if [ "$ext" = zip ]; then
  unzip -q "$tmp/$archive" -d "$tmp/x" || fail "could not unpack $archive"
else
  tar -xzf "$tmp/$archive" -C "$tmp/x" || fail "could not unpack $archive"
fi
binary="$tmp/x/${archive%."$ext"}/$exe"
[ -f "$binary" ] || fail "$archive holds no $exe"

mkdir -p "$bindir" || fail "could not create $bindir"
# Copy next to the target, then rename: a running seshet keeps its old file,
# and a half-copied binary never sits at the final path.
cp "$binary" "$bindir/.$exe.new.$$" && chmod 755 "$bindir/.$exe.new.$$" && mv -f "$bindir/.$exe.new.$$" "$bindir/$exe" || {
  rm -f "$bindir/.$exe.new.$$"
  fail "could not write $bindir/$exe"
}

version=${archive#seshet-}
version=${version%-"$os-$arch.$ext"}
echo "seshet install: installed seshet $version to $bindir/$exe"
case ":$PATH:" in
  *":$bindir:"*) cmd=seshet ;;
  *)
    cmd="$bindir/$exe"
    echo "seshet install: $bindir is not on your PATH; add it (export PATH=\"$bindir:\$PATH\") or type the full path"
    ;;
esac
echo
echo "Next:"
echo "  $cmd init mybot && cd mybot"
echo "  $cmd run --console"
