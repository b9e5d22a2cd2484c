package org.ailtire.swarm.convert;

import com.github.dockerjava.api.model.Driver;
import com.github.dockerjava.api.model.Mount;
import com.github.dockerjava.api.model.MountType;
import com.github.dockerjava.api.model.VolumeOptions;
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
            case VOLUME -> volume.source() == null ? mount.withType(MountType.VOLUME) : named(path, volume, mount);
            case BIND -> {
                if (volume.source() == null || volume.source().isEmpty()) {
                    problems.error(path, "a bind mount needs a source path on the host");
                    yield null;
                }
                yield mount.withType(MountType.BIND).withSource(volume.source());
            }
            case TMPFS -> {
                if (volume.source() != null) {
                    problems.error(path, "a tmpfs mount takes no source, got \"" + volume.source() + "\"");
                    yield null;
                }
                yield mount.withType(MountType.TMPFS);
            }
        };
    }

    private Mount named(String path, VolumeMount volume, Mount mount) {
        VolumeDefinition definition = volumes.get(volume.source());
        if (definition == null) {
            problems.error(path, "undefined volume \"" + volume.source() + "\": declare it under the top-level volumes");
            return null;
        }
        mount.withType(MountType.VOLUME);
        if (definition.external()) {
            return mount.withSource(definition.name() != null ? definition.name() : volume.source());
        }
        VolumeOptions options = new VolumeOptions().withLabels(labels.forObject(volume.source(), definition.labels()));
        if (definition.driver() != null || !definition.driverOpts().isEmpty()) {
            options.withDriverConfig(new Driver().withName(definition.driver())
                    .withOptions(definition.driverOpts().isEmpty() ? null : definition.driverOpts()));
        }
        return mount.withSource(definition.name() != null ? definition.name() : names.scoped(volume.source()))
                .withVolumeOptions(options);
    }
}
