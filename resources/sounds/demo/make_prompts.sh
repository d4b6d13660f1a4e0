#!/bin/sh
# Regenerate the demo caller's spoken prompts (what a demo customer says when the agent
# answers). Build time only: the app and the tests play the committed WAVs and never call
# espeak-ng. Needs Debian's espeak-ng and sox (apt-get install espeak-ng sox).
#
# Each file is 16 kHz mono 16-bit PCM (what the phone's conference bridge runs at, so pjsua2
# plays it without resampling), with a short lead-in and 1.2 s of silence at the end: the
# caller loops the file, and the pause makes the loop sound like someone waiting for an answer.
set -eu
cd "$(dirname "$0")"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

say() {  # say NAME VOICE SPEED TEXT
    espeak-ng -v "$2" -s "$3" -w "$tmp/$1.raw.wav" "$4"
    sox "$tmp/$1.raw.wav" -r 16000 -c 1 -b 16 "$1.wav" norm -3 pad 0.2 1.2
}

say zh-1 cmn 190 "您好，我的输液泵显示E17报警。"
say zh-2 cmn 190 "你好，监护仪的血氧读数又丢了。"
say en-1 en-us 175 "Hello, my printer shows a paper jam."
say en-2 en-us 175 "Hi, our patient monitor alarm is too quiet."
