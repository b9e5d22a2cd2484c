#!/bin/sh
# Runs inside `docker build`: writes /app/jvm.args, the JVM options of the image's ENTRYPOINT, and trains the
# application class-data archive (AppCDS) with the very runtime, jars and options the container will use, so
# the archive always matches (a mismatching archive would be silently ignored). POSIX sh, so that any base
# image with a shell works (ailtire/jre:local, eclipse-temurin:21-jre, ...).
set -eu
APP_JAR=/app/ailtire-swarm.jar
ARGS_FILE=/app/jvm.args
ARCHIVE=/app/app-cds.jsa
TRAINING_ARGS=${1:---help}

# Valid on Java 21 and later alike:
#   SerialGC: one GC thread and the smallest footprint; a controller's heap is small, so pauses stay short.
#   C2 stays enabled (no TieredStopAtLevel=1): the controller proxies traffic for its whole life.
#   -Xss512k: many event-loop and client threads, none with deep recursion.
#   MaxRAMPercentage: follows the container's memory limit; an explicit -Xmx (JDK_JAVA_OPTIONS) still wins.
#   ExitOnOutOfMemoryError: let swarm restart a broken controller instead of limping on.
#   --enable-native-access: JNA (docker-java's unix socket) calls native code; JDK 24+ warns without it.
cat >"$ARGS_FILE" <<ARGS
-XX:+UseSerialGC
-Xss512k
-XX:MaxRAMPercentage=75
-XX:+ExitOnOutOfMemoryError
--enable-native-access=ALL-UNNAMED
ARGS

# A static archive (JDK and application classes in one file) rather than a dynamic one on top of the
# runtime's default archive: that default archive was dumped without --enable-native-access, and the JVM
# prints an error and drops the archived module graph when the two disagree.
echo "[images] training the class-data archive: java -jar $APP_JAR $TRAINING_ARGS"
classes=$(mktemp)
# Word splitting of TRAINING_ARGS is intended (several arguments).
# shellcheck disable=SC2086
java @"$ARGS_FILE" -Xshare:off -XX:DumpLoadedClassList="$classes" -jar "$APP_JAR" $TRAINING_ARGS >/dev/null
# The same class path as `-jar` at run time (the jar's manifest brings lib/*.jar).
java @"$ARGS_FILE" -Xshare:dump -XX:SharedClassListFile="$classes" -XX:SharedArchiveFile="$ARCHIVE" \
  -cp "$APP_JAR" >/dev/null
rm -f "$classes"
echo "-XX:SharedArchiveFile=$ARCHIVE" >>"$ARGS_FILE"
# The archive must be usable with exactly these options: -Xshare:on fails instead of running without it,
# and any [cds] warning here would be printed at every start of the controller.
if ! check=$(java @"$ARGS_FILE" -Xshare:on -jar "$APP_JAR" $TRAINING_ARGS 2>&1 >/dev/null) \
    || printf '%s\n' "$check" | grep -q '\[cds'; then
  printf '%s\n' "$check" >&2; echo "[images] the class-data archive is not usable" >&2; exit 1
fi
echo "[images] $(wc -c <"$ARCHIVE") bytes of class data in $ARCHIVE"
