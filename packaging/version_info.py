"""Write the Windows version resource (build/version_info.txt) from the package version."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "desktop"))

from sipsight import __version__  # noqa: E402

TEMPLATE = """# UTF-8
VSVersionInfo(
  ffi=FixedFileInfo(filevers={nums}, prodvers={nums}, mask=0x3f, flags=0x0, OS=0x40004, fileType=0x1,
                    subtype=0x0, date=(0, 0)),
  kids=[
    StringFileInfo([StringTable('040904B0', [
      StringStruct('CompanyName', 'SIPSight'),
      StringStruct('FileDescription', 'SIPSight: why calls fail, and what to answer'),
      StringStruct('FileVersion', '{version}'),
      StringStruct('InternalName', 'sipsight'),
      StringStruct('OriginalFilename', 'sipsight.exe'),
      StringStruct('ProductName', 'SIPSight'),
      StringStruct('ProductVersion', '{version}')])]),
    VarFileInfo([VarStruct('Translation', [1033, 1200])])
  ]
)
"""


def main() -> int:
    parts = [int(p) for p in __version__.split(".")[:3] if p.isdigit()]
    nums = tuple([*parts, 0, 0, 0, 0][:4])
    out = ROOT / "build" / "version_info.txt"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(TEMPLATE.format(nums=nums, version=__version__), encoding="utf-8")
    print(out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
