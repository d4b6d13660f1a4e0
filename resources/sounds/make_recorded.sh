#!/bin/sh
# Regenerate recorded.wav, the "this call may be recorded" prompt a caller hears at answer
# (issue 20; RecordingSettings.announce_queues). Build time only: the desk plays the
# committed WAV and never calls espeak-ng. Needs Debian's espeak-ng and sox.
#
# 16 kHz mono 16-bit PCM (the conference bridge's rate: pjsua2 plays it without resampling):
# the Chinese sentence, a short pause, the English one, then a little silence.
set -eu
cd "$(dirname "$0")"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
espeak-ng -v cmn -s 210 -w "$tmp/zh.wav" "本次通话可能会被录音。"
espeak-ng -v en -s 160 -w "$tmp/en.wav" "This call may be recorded."
sox "$tmp/zh.wav" -r 16000 -c 1 -b 16 "$tmp/zh16.wav" norm -3 pad 0.1 0.3
sox "$tmp/en.wav" -r 16000 -c 1 -b 16 "$tmp/en16.wav" norm -3 pad 0 0.2
sox "$tmp/zh16.wav" "$tmp/en16.wav" recorded.wav
