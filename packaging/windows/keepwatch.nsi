; SPDX-License-Identifier: MIT
; SPDX-FileCopyrightText: 2026 The Keepwatch developers
;
; Keepwatch's Windows installer (NSIS 3): everything scripts/windows.sh
; staged (the executables, Qt's DLLs and plugins windeployqt-style, SQLite,
; libmosquitto, MinGW's runtime) into Program Files, a Start-menu entry, and
; an uninstaller registered with Windows.
;
;   makensis -DSTAGE=DIR -DOUTFILE=Keepwatch-setup.exe -DVERSION=0.1.0 keepwatch.nsi

!ifndef STAGE
  !error "STAGE (the staged files) is not defined"
!endif
!ifndef OUTFILE
  !define OUTFILE "Keepwatch-setup.exe"
!endif
!ifndef VERSION
  !define VERSION "0.0.0"
!endif

!define UNINSTALL_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\Keepwatch"

; A 64-bit installer for 64-bit programs (and wine64 runs no 32-bit stub
; without a 32-bit wine beside it).
Target amd64-unicode
Name "Keepwatch ${VERSION}"
OutFile "${OUTFILE}"
; 64-bit programs: the 64-bit Program Files, not the x86 one.
InstallDir "$PROGRAMFILES64\Keepwatch"
InstallDirRegKey HKLM "${UNINSTALL_KEY}" "InstallLocation"
RequestExecutionLevel admin
SetCompressor /SOLID lzma

Page directory
Page instfiles
UninstPage uninstConfirm
UninstPage instfiles

Section "Keepwatch"
  SetRegView 64
  SetOutPath "$INSTDIR"
  File /r "${STAGE}\*.*"
  WriteUninstaller "$INSTDIR\uninstall.exe"

  ; For every user: the Start menu of all users.
  SetShellVarContext all
  CreateDirectory "$SMPROGRAMS\Keepwatch"
  CreateShortcut "$SMPROGRAMS\Keepwatch\Keepwatch.lnk" "$INSTDIR\keepwatch.exe"
  CreateShortcut "$SMPROGRAMS\Keepwatch\Uninstall Keepwatch.lnk" "$INSTDIR\uninstall.exe"

  WriteRegStr HKLM "${UNINSTALL_KEY}" "DisplayName" "Keepwatch"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "Publisher" "The Keepwatch developers"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "DisplayIcon" "$INSTDIR\keepwatch.exe"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegStr HKLM "${UNINSTALL_KEY}" "QuietUninstallString" '"$INSTDIR\uninstall.exe" /S'
  WriteRegDWORD HKLM "${UNINSTALL_KEY}" "NoModify" 1
  WriteRegDWORD HKLM "${UNINSTALL_KEY}" "NoRepair" 1
SectionEnd

Section "Uninstall"
  SetRegView 64
  SetShellVarContext all
  Delete "$SMPROGRAMS\Keepwatch\Keepwatch.lnk"
  Delete "$SMPROGRAMS\Keepwatch\Uninstall Keepwatch.lnk"
  RMDir "$SMPROGRAMS\Keepwatch"
  ; Only what the installer put there: users' spools and histories live in
  ; their %LOCALAPPDATA%\Keepwatch and stay.
  RMDir /r "$INSTDIR"
  DeleteRegKey HKLM "${UNINSTALL_KEY}"
SectionEnd
