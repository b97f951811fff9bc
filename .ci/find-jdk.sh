# Sourced by ./troupe and .ci/run: exports JAVA_HOME pointing at a JDK 21 or newer.
# Order: JAVA_HOME if new enough, the `java` on PATH if new enough, else the newest JDK under
# /usr/lib/jvm.
troupe_java_major() { # $1: a java binary; prints its major version
  "$1" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2; exit}'
}
troupe_pick_jdk() {
  local candidate major best="" best_major=0
  if [[ -n "${JAVA_HOME:-}" && -x "$JAVA_HOME/bin/javac" ]]; then
    major=$(troupe_java_major "$JAVA_HOME/bin/java")
    if [[ "${major:-0}" -ge 21 ]]; then return 0; fi
  fi
  if command -v javac >/dev/null 2>&1; then
    candidate=$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")
    major=$(troupe_java_major "$candidate/bin/java")
    if [[ "${major:-0}" -ge 21 ]]; then export JAVA_HOME="$candidate"; return 0; fi
  fi
  for candidate in /usr/lib/jvm/*/; do
    candidate="${candidate%/}"
    [[ -x "$candidate/bin/javac" ]] || continue
    major=$(troupe_java_major "$candidate/bin/java")
    if [[ "${major:-0}" -gt "$best_major" ]]; then best="$candidate"; best_major="$major"; fi
  done
  if [[ "$best_major" -ge 21 ]]; then export JAVA_HOME="$best"; return 0; fi
  echo "troupe: needs a JDK 21 or newer; set JAVA_HOME to one" >&2
  return 1
}
troupe_pick_jdk
