#!/usr/bin/env bash
# Build dist/SIPSight.app and a zipped copy; optionally sign and notarise (see docs/packaging.md).
#   env CODESIGN_IDENTITY="Developer ID Application: ..." NOTARY_PROFILE=<notarytool keychain profile>
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
PY=${PYTHON:-python3}
"$PY" packaging/make_icons.py --out build/icons >/dev/null
SIPSIGHT_ICON_DIR="$ROOT/build/icons" "$PY" -m PyInstaller --noconfirm --distpath dist --workpath build/pyinstaller packaging/sipsight.spec
VERSION=$("$PY" -c "import sys; sys.path.insert(0, 'desktop'); import sipsight; print(sipsight.__version__)")
dist/SIPSight.app/Contents/MacOS/sipsight --self-test
if [ -n "${CODESIGN_IDENTITY:-}" ]; then
  codesign --force --deep --options runtime --timestamp \
    --entitlements packaging/macos/entitlements.plist --sign "$CODESIGN_IDENTITY" dist/SIPSight.app
  codesign --verify --strict --verbose=2 dist/SIPSight.app
fi
ditto -c -k --keepParent dist/SIPSight.app "dist/SIPSight-$VERSION-macos.zip"
if [ -n "${NOTARY_PROFILE:-}" ]; then
  xcrun notarytool submit "dist/SIPSight-$VERSION-macos.zip" --keychain-profile "$NOTARY_PROFILE" --wait
  xcrun stapler staple dist/SIPSight.app
  ditto -c -k --keepParent dist/SIPSight.app "dist/SIPSight-$VERSION-macos.zip"
fi
du -sh dist/SIPSight.app "dist/SIPSight-$VERSION-macos.zip"
