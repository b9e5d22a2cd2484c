package org.ailtire.definition;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.ailtire.definition.ServiceDefinition.VolumeMount;

/**
 * Reads a service's {@code volumes} (short {@code name:/path[:ro]}, {@code /host:/path}, {@code ./rel:/path},
 * {@code /path}, and the long syntax) and {@code tmpfs}. Named volumes must be declared at the top level.
 */
final class MountReader {
    private static final Set<String> LONG_KEYS = Set.of("type", "source", "target", "read_only");
    private static final Map<String, String> LONG_IGNORED = Map.of("volume", Fields.NOT_SUPPORTED_YET,
            "bind", Fields.NOT_SUPPORTED_YET, "tmpfs", Fields.NOT_SUPPORTED_YET, "consistency", Fields.NOT_SUPPORTED_YET);

    private final Set<String> declaredVolumes;
    private final FileAccess files;
    private final Problems problems;

    MountReader(Set<String> declaredVolumes, FileAccess files, Problems problems) {
        this.declaredVolumes = declaredVolumes;
        this.files = files;
        this.problems = problems;
    }

    List<VolumeMount> volumes(Object value, String path) {
        List<VolumeMount> mounts = new ArrayList<>();
        if (!(value instanceof List<?> list)) {
            problems.error(path, "expected a list, got " + Values.describe(value));
            return mounts;
        }
        for (int i = 0; i < list.size(); i++) {
            String itemPath = Problems.index(path, i);
            Object item = list.get(i);
            VolumeMount mount = item instanceof Map<?, ?> ? longSyntax(Fields.of(item, itemPath, problems))
                    : item instanceof Scalar scalar && scalar.kind() == Scalar.Kind.STRING ? shortSyntax(scalar.text(), itemPath)
                    : invalid(item, itemPath);
            if (mount != null) {
                mounts.add(mount);
            }
        }
        return mounts;
    }

    List<VolumeMount> tmpfs(Object value, String path) {
        List<String> targets = Values.strings(value, path, problems, true);
        List<VolumeMount> mounts = new ArrayList<>();
        for (String target : targets == null ? List.<String>of() : targets) {
            if (absoluteTarget(target, path)) {
                mounts.add(new VolumeMount(VolumeMount.Type.TMPFS, null, target, false));
            }
        }
        return mounts;
    }

    private VolumeMount shortSyntax(String text, String path) {
        String[] parts = text.split(":", -1);
        if (parts.length == 1) {
            return absoluteTarget(text, path) ? new VolumeMount(VolumeMount.Type.VOLUME, null, text, false) : null;
        }
        if (parts.length > 3) {
            problems.error(path, "invalid volume \"" + text + "\": expected \"source:target[:ro]\"");
            return null;
        }
        boolean readOnly = false;
        if (parts.length == 3) {
            for (String option : parts[2].split(",")) {
                switch (option) {
                    case "ro" -> readOnly = true;
                    case "rw" -> readOnly = false;
                    default -> problems.warning(path, "volume option \"" + option + "\" " + Fields.NOT_SUPPORTED_YET);
                }
            }
        }
        return mount(parts[0], parts[1], readOnly, path);
    }

    private VolumeMount mount(String source, String target, boolean readOnly, String path) {
        if (!absoluteTarget(target, path) || source.isEmpty() && invalidSource(path)) {
            return null;
        }
        if (source.startsWith("/")) {
            return new VolumeMount(VolumeMount.Type.BIND, source, target, readOnly);
        }
        if (source.startsWith(".") || source.startsWith("~")) {
            String host = source.startsWith("~") ? unsupportedHome(source, path) : files.hostPath(source, path, problems);
            return host == null ? null : new VolumeMount(VolumeMount.Type.BIND, host, target, readOnly);
        }
        if (!declaredVolumes.contains(source)) {
            problems.error(path, "volume \"" + source + "\" is not defined in the top-level volumes");
            return null;
        }
        return new VolumeMount(VolumeMount.Type.VOLUME, source, target, readOnly);
    }

    private VolumeMount longSyntax(Fields mount) {
        mount.checkKeys(LONG_KEYS, LONG_IGNORED, false);
        VolumeMount.Type type = mount.has("type") ? mount.choice("type", VolumeMount.Type.class) : VolumeMount.Type.VOLUME;
        String source = mount.string("source");
        String target = mount.string("target");
        boolean readOnly = mount.flag("read_only");
        if (target == null) {
            mount.error("target", "required: the path in the container");
            return null;
        }
        if (type == null) {
            return null;
        }
        return switch (type) {
            case TMPFS -> {
                if (source != null) {
                    mount.error("source", "a tmpfs mount has no source");
                }
                yield absoluteTarget(target, mount.at("target")) ? new VolumeMount(type, null, target, readOnly) : null;
            }
            case BIND -> {
                if (source == null || source.isEmpty()) {
                    mount.error("source", "required for a bind mount: the host path");
                    yield null;
                }
                String host = source.startsWith("/") ? source : files.hostPath(source, mount.at("source"), problems);
                yield host == null || !absoluteTarget(target, mount.at("target")) ? null : new VolumeMount(type, host, target, readOnly);
            }
            case VOLUME -> {
                if (source != null && !source.isEmpty() && !declaredVolumes.contains(source)) {
                    mount.error("source", "volume \"" + source + "\" is not defined in the top-level volumes");
                    yield null;
                }
                yield absoluteTarget(target, mount.at("target"))
                        ? new VolumeMount(type, source == null || source.isEmpty() ? null : source, target, readOnly) : null;
            }
        };
    }

    private boolean absoluteTarget(String target, String path) {
        if (!target.startsWith("/")) {
            problems.error(path, "the path in the container must be absolute, got \"" + target + "\"");
            return false;
        }
        return true;
    }

    private boolean invalidSource(String path) {
        problems.error(path, "empty volume source");
        return true;
    }

    private String unsupportedHome(String source, String path) {
        problems.error(path, "host paths starting with \"~\" are not supported: \"" + source + "\"");
        return null;
    }

    private VolumeMount invalid(Object item, String path) {
        problems.error(path, "expected a volume such as \"data:/var/lib/data\" or a mapping, got " + Values.describe(item));
        return null;
    }
}
