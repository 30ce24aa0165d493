; Inno Setup script for SIPSight (per-user install, no admin rights needed).
; Built by packaging/windows/build.ps1, which passes /DAppVersion and /DDistDir.
#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif
#ifndef DistDir
  #define DistDir "..\..\dist\sipsight"
#endif

[Setup]
AppId={{6F1C3B8E-5C4B-4E0F-9B7A-51F0C0A5D1E2}
AppName=SIPSight
AppVersion={#AppVersion}
AppPublisher=SIPSight
DefaultDirName={localappdata}\Programs\SIPSight
DefaultGroupName=SIPSight
PrivilegesRequired=lowest
OutputDir=..\..\dist
OutputBaseFilename=SIPSight-{#AppVersion}-setup
SetupIconFile=..\..\build\icons\sipsight.ico
UninstallDisplayIcon={app}\sipsight.exe
Compression=lzma2
SolidCompression=yes
WizardStyle=modern
ArchitecturesInstallIn64BitMode=x64compatible

[Files]
Source: "{#DistDir}\*"; DestDir: "{app}"; Flags: recursesubdirs ignoreversion

[Icons]
Name: "{group}\SIPSight"; Filename: "{app}\sipsight.exe"
Name: "{userdesktop}\SIPSight"; Filename: "{app}\sipsight.exe"; Tasks: desktopicon

[Tasks]
Name: "desktopicon"; Description: "Create a desktop shortcut"; Flags: unchecked

[Run]
Filename: "{app}\sipsight.exe"; Description: "Start SIPSight"; Flags: nowait postinstall skipifsilent
