#!/usr/bin/env bash
# Build the Linux one-folder bundle, its desktop integration, and a tarball (plus an AppImage when
# appimagetool is on PATH). Prints the sizes. Usage: packaging/linux/build.sh [--python PY]
#   env DIST (default dist/), WORK (default build/)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
PY=${PYTHON:-python3}
[ "${1:-}" = "--python" ] && PY=$2
DIST=${DIST:-$ROOT/dist}
WORK=${WORK:-$ROOT/build}
VERSION=$("$PY" -c "import sys; sys.path.insert(0, '$ROOT/desktop'); import sipsight; print(sipsight.__version__)")
ARCH=$(uname -m)

"$PY" "$ROOT/packaging/make_icons.py" --out "$WORK/icons" >/dev/null
SIPSIGHT_ICON_DIR="$WORK/icons" "$PY" -m PyInstaller --noconfirm --log-level WARN \
  --distpath "$DIST" --workpath "$WORK/pyinstaller" "$ROOT/packaging/sipsight.spec"

APP="$DIST/sipsight"
# Desktop integration travels inside the bundle; install.sh links it into the user's menus.
mkdir -p "$APP/share/applications" "$APP/share/metainfo" "$APP/share/icons"
cp "$ROOT/packaging/linux/com.sipsight.SIPSight.desktop" "$APP/share/applications/"
cp "$ROOT/packaging/linux/com.sipsight.SIPSight.metainfo.xml" "$APP/share/metainfo/"
cp -r "$WORK/icons/hicolor" "$APP/share/icons/"
cp "$ROOT/packaging/linux/install.sh" "$APP/install.sh"
chmod +x "$APP/install.sh"

TARBALL="$DIST/sipsight-$VERSION-linux-$ARCH.tar.gz"
tar -C "$DIST" -czf "$TARBALL" sipsight

if command -v appimagetool >/dev/null 2>&1; then
  APPDIR="$WORK/SIPSight.AppDir"
  rm -rf "$APPDIR"; mkdir -p "$APPDIR/usr"
  cp -r "$APP" "$APPDIR/usr/lib-sipsight"
  ln -s usr/lib-sipsight/sipsight "$APPDIR/AppRun"
  cp "$ROOT/packaging/linux/com.sipsight.SIPSight.desktop" "$APPDIR/"
  cp "$WORK/icons/hicolor/256x256/apps/sipsight.png" "$APPDIR/sipsight.png"
  ARCH=$ARCH appimagetool "$APPDIR" "$DIST/SIPSight-$VERSION-$ARCH.AppImage" >/dev/null
fi

echo "bundle: $APP ($(du -sh "$APP" | cut -f1))"
echo "tarball: $TARBALL ($(du -sh "$TARBALL" | cut -f1))"
ls "$DIST"/*.AppImage 2>/dev/null | sed 's/^/appimage: /' || true
