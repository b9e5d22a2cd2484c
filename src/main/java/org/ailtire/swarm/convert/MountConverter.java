package org.ailtire.swarm.convert;

import com.github.dockerjava.api.model.BindOptions;
import com.github.dockerjava.api.model.BindPropagation;
import com.github.dockerjava.api.model.Driver;
import com.github.dockerjava.api.model.Mount;
import com.github.dockerjava.api.model.MountType;
import com.github.dockerjava.api.model.TmpfsOptions;
import com.github.dockerjava.api.model.VolumeOptions;
import org.ailtire.definition.ServiceDefinition.MountOptions;
import org.ailtire.definition.ServiceDefinition.VolumeMount;
import org.ailtire.definition.VolumeDefinition;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A service's {@code volumes} as engine mounts, in file order. A named volume is {@code <namespace>_<name>} (or its
 * {@code name:}); non-external ones carry the stack labels and driver in their VolumeOptions, which the engine uses
 * when it creates the volume on a node.
 */
final class MountConverter {
    private final EngineNames names;
    private final StackLabels labels;
    private final Problems problems;
    private final Map<String, VolumeDefinition> volumes;

    MountConverter(EngineNames names, StackLabels labels, Problems problems, Map<String, VolumeDefinition> volumes) {
        this.names = names;
        this.labels = labels;
        this.problems = problems;
        this.volumes = volumes;
    }

    List<Mount> convert(String servicePath, List<VolumeMount> mounts) {
        List<Mount> result = new ArrayList<>();
        for (int i = 0; i < mounts.size(); i++) {
            Mount mount = convert(servicePath + ".volumes[" + i + "]", mounts.get(i));
            if (mount != null) {
                result.add(mount);
            }
        }
        return result;
    }

    private Mount convert(String path, VolumeMount volume) {
        Mount mount = new Mount().withTarget(volume.target()).withReadOnly(volume.readOnly() ? Boolean.TRUE : null);
        return switch (volume.type()) {
            // Like docker: an anonymous volume takes no volume options (nocopy included).
            case VOLUME -> volume.source() == null ? mount.withType(MountType.VOLUME) : named(path, volume, mount);
            case BIND -> {
                if (volume.source() == null || volume.source().isEmpty()) {
                    problems.error(path, "a bind mount needs a source path on the host");
                    yield null;
                }
                String propagation = volume.options().propagation();
                yield mount.withType(MountType.BIND).withSource(volume.source()).withBindOptions(propagation == null ? null
                        : new BindOptions().withPropagation(propagation(propagation)));
            }
            case TMPFS -> {
                if (volume.source() != null) {
                    problems.error(path, "a tmpfs mount takes no source, got \"" + volume.source() + "\"");
                    yield null;
                }
                yield mount.withType(MountType.TMPFS).withTmpfsOptions(tmpfsOptions(volume.options()));
            }
        };
    }

    private static BindPropagation propagation(String name) {
        return switch (name) {
            case "rprivate" -> BindPropagation.R_PRIVATE;
            case "private" -> BindPropagation.PRIVATE;
            case "rshared" -> BindPropagation.R_SHARED;
            case "shared" -> BindPropagation.SHARED;
            case "rslave" -> BindPropagation.R_SLAVE;
            case "slave" -> BindPropagation.SLAVE;
            default -> throw new IllegalArgumentException("unknown bind propagation " + name);  // the reader checks
        };
    }

    /** Size as docker converts it; the mode too, which docker's converter drops (the engine honours it). */
    private static TmpfsOptions tmpfsOptions(MountOptions options) {
        if (options.tmpfsSize() == null && options.tmpfsMode() == null) {
            return null;
        }
        return new TmpfsOptions().withSizeBytes(options.tmpfsSize()).withMode(options.tmpfsMode());
    }

    private Mount named(String path, VolumeMount volume, Mount mount) {
        VolumeDefinition definition = volumes.get(volume.source());
        if (definition == null) {
            problems.error(path, "undefined volume \"" + volume.source() + "\": declare it under the top-level volumes");
            return null;
        }
        mount.withType(MountType.VOLUME);
        Boolean noCopy = volume.options().noCopy() ? Boolean.TRUE : null;
        if (definition.external()) {
            return mount.withSource(definition.name() != null ? definition.name() : volume.source())
                    .withVolumeOptions(noCopy == null ? null : new VolumeOptions().withNoCopy(true));
        }
        VolumeOptions options = new VolumeOptions().withNoCopy(noCopy)
                .withLabels(labels.forObject(volume.source(), definition.labels()));
        if (definition.driver() != null || !definition.driverOpts().isEmpty()) {
            options.withDriverConfig(new Driver().withName(definition.driver())
                    .withOptions(definition.driverOpts().isEmpty() ? null : definition.driverOpts()));
        }
        return mount.withSource(definition.name() != null ? definition.name() : names.scoped(volume.source()))
                .withVolumeOptions(options);
    }
}
