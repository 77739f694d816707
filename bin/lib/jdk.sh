# Finds a JDK >= 25 (JAVA_HOME first, then Temurin's usual path) and exports JAVA_HOME; sourced by bin/*.
uvs_find_jdk() {
  local cand major
  for cand in "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64; do
    if [ -n "$cand" ] && [ -x "$cand/bin/java" ]; then
      major=$("$cand/bin/java" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2}')
      if [ "${major%%.*}" -ge 25 ] 2>/dev/null; then
        export JAVA_HOME="$cand"
        return 0
      fi
    fi
  done
  echo "error: UVS needs JDK 25 or newer; set JAVA_HOME (e.g. /usr/lib/jvm/temurin-25-jdk-amd64)" >&2
  return 1
}
