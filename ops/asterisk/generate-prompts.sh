#!/usr/bin/env bash
# Placeholder prompt audio from the ivr catalogs until a voice actor records them:
# espeak-ng speaks each entry of prompts/vi.properties and prompts/en.properties (including char.0-9, char.a-z,
# char.dash, from which case references are read out), sox converts to Asterisk's formats (8 kHz mono: .wav and .ulaw).
# Needs: apt-get install espeak-ng sox. Output: <out>/hotline/<lang>/<key with . and _ as ->.{wav,ulaw}
# (PromptRenderer.audioFile), to copy under Asterisk's sounds directory (e.g. /usr/share/asterisk/sounds/).
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
out="${1:-$repo/var/sounds}"
command -v espeak-ng >/dev/null || { echo "espeak-ng missing: apt-get install espeak-ng" >&2; exit 1; }
command -v sox >/dev/null || { echo "sox missing: apt-get install sox" >&2; exit 1; }
for lang in vi en; do
  catalog="$repo/ivr/src/main/resources/prompts/$lang.properties"
  mkdir -p "$out/hotline/$lang"
  n=0
  while IFS= read -r line; do
    case "$line" in ''|'#'*) continue ;; esac
    key="${line%%=*}"
    text="${line#*=}"
    # A prompt with a parameter is recorded up to where the parameter starts; the value is read char by char.
    text="${text%%\{*}"
    file="$out/hotline/$lang/$(printf '%s' "$key" | tr '._' '--')"
    espeak-ng -v "$lang" -s 150 -w "$file.raw.wav" -- "$text"
    sox "$file.raw.wav" -r 8000 -c 1 -b 16 "$file.wav"
    sox "$file.raw.wav" -r 8000 -c 1 -t ul "$file.ulaw"
    rm -f "$file.raw.wav"
    n=$((n + 1))
  done < "$catalog"
  echo "$lang: $n prompts in $out/hotline/$lang"
done
