; Inno Setup 6 script: the Windows installer for Supervision Desktop.
;
; Build (on Windows, after `python packaging\build.py --self-test`):
;     iscc /DAppVersion=0.1.0 packaging\windows\supervision-desktop.iss
;   or `python packaging\build.py --self-test --installer`, which does both.
;   Output: dist\SupervisionDesktop-<version>-setup.exe
;
; Installing:
;   Per user (the default, no administrator rights needed):
;       %LOCALAPPDATA%\Programs\Supervision Desktop, Start menu entry for this user.
;   For every user of the machine (administrator): run with /ALLUSERS, or choose
;   "Install for all users" in the first dialog:
;       C:\Program Files\Supervision Desktop, Start menu entry for all users.
;   Silent install for IT (no questions, no message boxes, no restart):
;       SupervisionDesktop-0.1.0-setup.exe /VERYSILENT /SUPPRESSMSGBOXES /NORESTART /ALLUSERS
;     add /LOG="C:\Windows\Temp\supervision-desktop-install.log" for a log,
;     /TASKS="desktopicon" for a desktop shortcut, /DIR="D:\Apps\Supervision Desktop" to move it.
;   Silent uninstall:
;       "C:\Program Files\Supervision Desktop\unins000.exe" /VERYSILENT /SUPPRESSMSGBOXES /NORESTART
;   Check an install works (no display needed; exit code 0 when it does):
;       "C:\Program Files\Supervision Desktop\supervision-desktop.exe" --self-test
;
; Uninstalling removes the program files only. Each person's vault (their records) lives
; in %LOCALAPPDATA%\SupervisionDesktop\vault, outside the program folder, and is NEVER
; deleted by this installer or its uninstaller: nothing below deletes outside {app}.

#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif
#ifndef SourceDir
  #define SourceDir "..\..\dist\supervision-desktop"
#endif
#define AppName "Supervision Desktop"
#define AppExe "SupervisionDesktop.exe"
#define CliExe "supervision-desktop.exe"

[Setup]
; The AppId ties upgrades and the uninstaller together: never change it.
AppId={{6F2C41B7-3E0A-4D59-9B8E-2A7C5D10E4F3}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=Supervision Desktop project
VersionInfoVersion={#AppVersion}
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
; Per user by default; /ALLUSERS (or the dialog) installs for everyone, with elevation.
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=commandline dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
OutputDir=..\..\dist
OutputBaseFilename=SupervisionDesktop-{#AppVersion}-setup
SetupIconFile=..\..\resources\icons\supervision-desktop.ico
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName={#AppName}
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
; Close a running copy (it saves its work on close) before replacing its files.
CloseApplications=yes
RestartApplications=no

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
Source: "{#SourceDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExe}"; Comment: "Supervision records, encrypted on this computer"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent

; No [UninstallDelete] section: the uninstaller removes exactly the files it installed.
; The vault folder (%LOCALAPPDATA%\SupervisionDesktop) was never installed, so it stays.
