# Runs a main class from a UVS jar; sourced by bin/uvs, bin/uvsd, bin/uvsadm. uvsd and uvsadm run the product's
# jar (uvs-director/target/uvs.jar, what the packages install); bin/uvs runs the development jar
# (uvs-lab/target/uvs-lab.jar: the product's uvs command plus the lab, the demo and the benchmarks).
# In a source tree (mvnw beside bin/) the jar is built when it is missing, or when asked (bin/uvs build), one
# build at a time (a lock: concurrent callers wait for the first one's build instead of starting their own).
# A jar older than the sources is reported in one line and used as it is: nothing is rebuilt behind the
# user's back, and a launcher without mvnw (an installed one) never builds.

uvs_root() {
  cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd
}

# uvs_jar ROOT MAIN: the jar that holds MAIN
uvs_jar() {
  case "$2" in
    uvs.lab.*) echo "$1/uvs-lab/target/uvs-lab.jar" ;;
    *) echo "$1/uvs-director/target/uvs.jar" ;;
  esac
}

# uvs_build ROOT [JAR]: builds both jars under the lock; given JAR, only when JAR is still missing
uvs_build() {
  local root="$1" jar="${2:-}"
  if [ ! -x "$root/mvnw" ]; then
    echo "uvs: ${jar:+$jar is missing and }this installation cannot build UVS (no mvnw beside bin/)" >&2
    return 1
  fi
  (
    flock -x 9
    if [ -n "$jar" ] && [ -f "$jar" ]; then
      exit 0
    fi
    echo "building UVS (the first build downloads Maven and the dependencies)..." >&2
    cd "$root" && ./mvnw -q -B -ntp -DskipTests -pl uvs-lab -am install >&2
  ) 9>"$root/.uvs-build.lock"
}

uvs_launch() {
  local main="$1"; shift
  local root; root="$(uvs_root)"
  . "$root/bin/lib/jdk.sh"
  uvs_find_jdk || exit 1
  local jar; jar="$(uvs_jar "$root" "$main")"
  if [ ! -f "$jar" ]; then
    uvs_build "$root" "$jar" || exit 1
  elif [ -x "$root/mvnw" ] && [ -n "$(find "$root" \( -path "$root/.git" -o -name target \) -prune -o \
      \( -name '*.java' -o -name pom.xml \) -newer "$jar" -print -quit)" ]; then
    echo "uvs: note: $jar is older than the sources; 'bin/uvs build' rebuilds it" >&2
  fi
  exec "$JAVA_HOME/bin/java" --add-exports=java.base/jdk.internal.misc=ALL-UNNAMED --enable-native-access=ALL-UNNAMED \
    -cp "$jar" "$main" "$@"
}
