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
    private static final Set<String> LONG_KEYS = Set.of("type", "source", "target", "read_only", "volume", "bind", "tmpfs");
    /** Engine API 1.41 (Docker 20.10) drops these: docker stack deploy sends consistency and subpath, and they are lost. */
    private static final String ENGINE_DROPS = "ignored: the engine (API 1.41) keeps no such mount option";
    private static final Map<String, String> LONG_IGNORED = Map.of("consistency", ENGINE_DROPS);
    private static final Set<String> OPTION_KEYS = Set.of("volume", "bind", "tmpfs");

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
        boolean noCopy = false;
        String propagation = null;
        if (parts.length == 3) {
            for (String option : parts[2].split(",")) {
                switch (option) {
                    case "ro" -> readOnly = true;
                    case "rw" -> readOnly = false;
                    case "nocopy" -> noCopy = true;
                    default -> {
                        if (PROPAGATIONS.contains(option)) {
                            propagation = option;
                        } else {
                            problems.warning(path, "volume option \"" + option + "\" " + Fields.NOT_SUPPORTED_YET);
                        }
                    }
                }
            }
        }
        VolumeMount mount = mount(parts[0], parts[1], readOnly, path);
        if (mount == null || !noCopy && propagation == null) {
            return mount;
        }
        if (noCopy && mount.type() != VolumeMount.Type.VOLUME || propagation != null && mount.type() != VolumeMount.Type.BIND) {
            problems.error(path, "option " + (noCopy && mount.type() != VolumeMount.Type.VOLUME ? "nocopy" : propagation)
                    + " does not apply to a " + mount.type().name().toLowerCase(java.util.Locale.ROOT) + " mount");
            return null;
        }
        return new VolumeMount(mount.type(), mount.source(), mount.target(), mount.readOnly(),
                new ServiceDefinition.MountOptions(noCopy, propagation, null, null));
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
        ServiceDefinition.MountOptions options = options(mount, type);
        VolumeMount plain = switch (type) {
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
        return plain == null ? null
                : new VolumeMount(plain.type(), plain.source(), plain.target(), plain.readOnly(), options);
    }

    /** {@code volume:}, {@code bind:} or {@code tmpfs:}, only the one of the mount's own type. */
    private ServiceDefinition.MountOptions options(Fields mount, VolumeMount.Type type) {
        String own = type.name().toLowerCase(java.util.Locale.ROOT);
        for (String key : OPTION_KEYS) {
            if (!key.equals(own) && mount.has(key)) {
                mount.error(key, key + " options are incompatible with type " + own);
            }
        }
        if (!mount.has(own)) {
            return ServiceDefinition.MountOptions.NONE;
        }
        Fields options = mount.fields(own);
        return switch (type) {
            case VOLUME -> {
                options.checkKeys(Set.of("nocopy"), Map.of("subpath", ENGINE_DROPS), false);
                yield new ServiceDefinition.MountOptions(options.flag("nocopy"), null, null, null);
            }
            case BIND -> {
                options.checkKeys(Set.of("propagation"), Map.of("create_host_path", Fields.SWARM_IGNORES,
                        "selinux", Fields.SWARM_IGNORES), false);
                String propagation = options.string("propagation");
                if (propagation != null && !PROPAGATIONS.contains(propagation)) {
                    options.error("propagation", "expected one of " + PROPAGATIONS + ", got \"" + propagation + "\"");
                }
                yield new ServiceDefinition.MountOptions(false, propagation, null, null);
            }
            case TMPFS -> {
                options.checkKeys(Set.of("size", "mode"), Map.of(), false);
                yield new ServiceDefinition.MountOptions(false, null, tmpfsSize(options),
                        FileMode.read(options.get("mode"), options.at("mode"), problems));
            }
        };
    }

    private static final List<String> PROPAGATIONS = List.of("rprivate", "private", "rshared", "shared", "rslave", "slave");

    /** Bytes as an integer (docker's schema) or a size such as {@code 64m} (the Compose specification). */
    private Long tmpfsSize(Fields options) {
        Object value = options.get("size");
        if (value == null) {
            return null;
        }
        if (value instanceof Scalar scalar && scalar.kind() == Scalar.Kind.STRING) {
            try {
                return Units.bytes(scalar.text());
            } catch (IllegalArgumentException e) {
                options.error("size", e.getMessage());
                return null;
            }
        }
        return Values.longValue(value, options.at("size"), problems, "a size in bytes or such as \"64m\"");
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
