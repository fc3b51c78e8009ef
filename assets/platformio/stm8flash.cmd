@echo off
rem PlatformIO's ST STM8 builder runs "stm8flash -c PROTOCOL -p PART -s flash -w FILE".
rem This launcher answers to that name on Windows and hands every argument to SWIM Studio's
rem stm8flash-compatible mode. Which SWIM Studio runs, first match wins:
rem   1. %SWIM_STUDIO_CLI% (a command, e.g. "C:\Program Files\SWIM Studio\swim-studio.exe");
rem   2. the checkout this package lives in (assets\platformio -> ..\..\bin\swim-studio.mjs);
rem   3. swim-studio on PATH.
setlocal
if defined SWIM_STUDIO_CLI (
  %SWIM_STUDIO_CLI% stm8flash %*
  exit /b %ERRORLEVEL%
)
set "SWIM_STUDIO_BIN=%~dp0..\..\bin\swim-studio.mjs"
if exist "%SWIM_STUDIO_BIN%" (
  node "%SWIM_STUDIO_BIN%" stm8flash %*
  exit /b %ERRORLEVEL%
)
where swim-studio >nul 2>nul
if %ERRORLEVEL% equ 0 (
  swim-studio stm8flash %*
  exit /b %ERRORLEVEL%
)
echo stm8flash (SWIM Studio launcher): cannot find SWIM Studio. 1>&2
echo   Set SWIM_STUDIO_CLI to the swim-studio command, or link this package from a SWIM Studio checkout. 1>&2
exit /b 3
