#!/bin/sh
# Runs inside `docker build`: writes /app/jvm.args, the JVM options of the image's ENTRYPOINT, and trains the
# application class-data archive (AppCDS) with the very runtime, jars and options the container will use, so
# the archive always matches (a mismatching archive would be silently ignored). POSIX sh, so that any base
# image with a shell works (ailtire/jre:local, eclipse-temurin:21-jre, ...).
set -eu
APP_DIR=${APP_DIR:-/app}   # another directory for trying it outside an image
APP_JAR=$APP_DIR/ailtire-swarm.jar
ARGS_FILE=$APP_DIR/jvm.args
ARCHIVE=$APP_DIR/app-cds.jsa
TRAINING_ARGS=${1:---help}

# Valid on Java 21 and later alike (measurements: docs/benchmarks.md):
#   SerialGC: one GC thread and the smallest footprint; a controller's heap is small, so pauses stay short.
#   TieredStopAtLevel=1 (C1 only): HAProxy carries the application's traffic, the JVM only the control plane and
#     the console; without C2's compiler threads, arenas and code the idle controller keeps about 6 MiB less.
#   ArchiveRelocationMode=0 (diagnostic): the class-data archive is mapped at its own address, as JDK 17-19 did by
#     default, instead of a random one; its pages then stay clean file pages, shared with the other controllers of
#     the node and not charged as private memory: about 20 MiB less per controller as docker counts it. What it
#     gives up is the randomisation of that one mapping (libjvm, the heap and the rest stay randomised).
#   -Xss512k: many event-loop and client threads, none with deep recursion.
#   MaxRAMPercentage: the heap may grow to 75 % of the container's memory limit (of the host's memory without one).
#   InitialRAMPercentage=0.05: the default initial heap is 1/64 of that memory, 384 MiB on a 24 GiB host without a
#     limit, and a young generation of ~100 MiB that allocation touches page by page before the first collection.
#     The idle controller keeps ~15 MiB alive; starting small lets the heap follow what is live.
#   Min/MaxHeapFreeRatio 10/30: grow the heap only when less than 10 % is free after a collection, give memory
#     back when more than 30 % is (Serial shrinks after full collections).
#   ReservedCodeCacheSize=64m, MaxMetaspaceSize=160m: guards against a runaway (the controller needs ~15 MiB of
#     code and ~10 MiB of metaspace besides the class-data archive); the defaults reserve 240 MiB / unlimited.
#   ExitOnOutOfMemoryError: let swarm restart a broken controller instead of limping on.
#   --enable-native-access: JNA (docker-java's unix socket) calls native code; JDK 24+ warns without it.
cat >"$ARGS_FILE" <<ARGS
-XX:+UseSerialGC
-XX:TieredStopAtLevel=1
-XX:+UnlockDiagnosticVMOptions
-XX:ArchiveRelocationMode=0
-Xss512k
-XX:MaxRAMPercentage=75
-XX:InitialRAMPercentage=0.05
-XX:MinHeapFreeRatio=10
-XX:MaxHeapFreeRatio=30
-XX:ReservedCodeCacheSize=64m
-XX:MaxMetaspaceSize=160m
-XX:+ExitOnOutOfMemoryError
--enable-native-access=ALL-UNNAMED
ARGS
# TrimNativeHeapInterval: glibc keeps what the JIT compilers' arenas freed (~15 MiB after start-up); trimming
# every 5 s returns it. A product option from JDK 22, experimental in 21.0.1+, missing in 21.0.0: probed.
for trim in "-XX:TrimNativeHeapInterval=5000" "-XX:+UnlockExperimentalVMOptions -XX:TrimNativeHeapInterval=5000"; do
  # shellcheck disable=SC2086
  if java $trim -version >/dev/null 2>&1; then
    printf '%s\n' $trim >>"$ARGS_FILE"; break
  fi
done

# A static archive (JDK and application classes in one file) rather than a dynamic one on top of the
# runtime's default archive: that default archive was dumped without --enable-native-access, and the JVM
# prints an error and drops the archived module graph when the two disagree.
echo "[images] training the class-data archive: java -jar $APP_JAR $TRAINING_ARGS"
classes=$(mktemp)
# Word splitting of TRAINING_ARGS is intended (several arguments). Picocli's classes stay out of any archive
# whatever the training: they are Java 5 class files, which CDS skips ("Old class has been linked").
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
