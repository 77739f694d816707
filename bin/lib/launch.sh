# Builds UVS when needed and runs a main class from the UVS jar; sourced by bin/uvs, bin/uvsd, bin/uvsadm.
uvs_launch() {
  local main="$1"; shift
  local root; root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
  . "$root/bin/lib/jdk.sh"
  uvs_find_jdk || exit 1
  local jar="$root/uvs-lab/target/uvs.jar"
  if [ ! -f "$jar" ] || [ -n "$(find "$root" -path "$root/.git" -prune -o \( -name '*.java' -o -name pom.xml \) -newer "$jar" -print -quit)" ]; then
    echo "building UVS (first run downloads Maven and the dependencies)..." >&2
    (cd "$root" && ./mvnw -q -B -ntp -DskipTests install) >&2 || exit 1
  fi
  exec "$JAVA_HOME/bin/java" --add-exports=java.base/jdk.internal.misc=ALL-UNNAMED --enable-native-access=ALL-UNNAMED \
    -cp "$jar" "$main" "$@"
}
