# Build the Windows bundle (dist\sipsight\) and the installer (dist\SIPSight-<version>-setup.exe).
# Needs: Python 3.11+ with `pip install -c requirements/lock.txt .[package]`, and Inno Setup 6 (iscc.exe on PATH).
$ErrorActionPreference = "Stop"
$Root = Resolve-Path "$PSScriptRoot\..\.."
Set-Location $Root
python packaging\make_icons.py --out build\icons
python packaging\version_info.py
$env:SIPSIGHT_ICON_DIR = "$Root\build\icons"
python -m PyInstaller --noconfirm --distpath dist --workpath build\pyinstaller packaging\sipsight.spec
$Version = python -c "import sys; sys.path.insert(0, 'desktop'); import sipsight; print(sipsight.__version__)"
& dist\sipsight\sipsight.exe --self-test
if ($LASTEXITCODE -ne 0) { throw "self-test failed" }
iscc /DAppVersion=$Version /DDistDir="$Root\dist\sipsight" packaging\windows\sipsight.iss
Get-ChildItem dist\*.exe | ForEach-Object { "{0}  {1:N1} MB" -f $_.Name, ($_.Length / 1MB) }
