#!/usr/bin/env bash
# Add SIPSight to this user's application menu (no root needed). Run from the unpacked bundle.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
DATA=${XDG_DATA_HOME:-$HOME/.local/share}
mkdir -p "$DATA/applications" "$DATA/metainfo" "$DATA/icons" "$HOME/.local/bin"
sed "s|^Exec=sipsight|Exec=$HERE/sipsight|" "$HERE/share/applications/com.sipsight.SIPSight.desktop" \
  > "$DATA/applications/com.sipsight.SIPSight.desktop"
cp "$HERE/share/metainfo/com.sipsight.SIPSight.metainfo.xml" "$DATA/metainfo/"
cp -r "$HERE/share/icons/hicolor" "$DATA/icons/"
ln -sf "$HERE/sipsight" "$HOME/.local/bin/sipsight"
command -v update-desktop-database >/dev/null && update-desktop-database "$DATA/applications" || true
echo "SIPSight installed for $USER: find it in your applications menu, or run 'sipsight'."
