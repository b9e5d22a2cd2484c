package org.ailtire.bench;

import com.github.dockerjava.api.DockerClient;
import org.ailtire.definition.DefinitionLoader;
import org.ailtire.definition.LoadedDefinition;
import org.ailtire.swarm.DockerClients;
import org.ailtire.swarm.apply.ApplyOptions;
import org.ailtire.swarm.apply.StackApplier;
import org.ailtire.swarm.convert.ConvertOptions;
import org.ailtire.swarm.convert.NetworkingDefaults;
import org.ailtire.swarm.convert.StackConverter;
import org.ailtire.swarm.convert.StackResources;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * Deploy and update convergence with our engine: loads a stack file, converts it and applies it with
 * {@link StackApplier} (which returns once every changed service runs all its tasks), then applies the updated
 * file, then removes the stack.
 *
 * <p>Args: stackFile updatedFile namespace stabilityWindowMillis. Prints
 * {@code ours deploy_ms=.. update_ms=.. remove_ms=..}.
 */
public final class Convergence {
    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        Path updatedFile = Path.of(args[1]);
        String namespace = args[2];
        Duration window = Duration.ofMillis(Long.parseLong(args[3]));
        DockerClient docker = DockerClients.connect();
        StackApplier applier = new StackApplier(docker, ApplyOptions.DEFAULT.withStabilityWindow(window));
        StackConverter converter = new StackConverter(new ConvertOptions("/" + namespace,
                NetworkingDefaults.detect(System.getenv())));
        StackResources initial = resources(converter, file, namespace);
        StackResources updated = resources(converter, updatedFile, namespace);
        try {
            long t0 = System.nanoTime();
            applier.apply(initial, e -> { });
            long t1 = System.nanoTime();
            var result = applier.apply(updated, e -> { });
            long t2 = System.nanoTime();
            if (result.updated().size() != 10) {
                throw new IllegalStateException("expected 10 updated services, got " + result.updated());
            }
            applier.remove(namespace, e -> { });
            long t3 = System.nanoTime();
            System.out.printf("ours deploy_ms=%d update_ms=%d remove_ms=%d%n",
                    (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000, (t3 - t2) / 1_000_000);
        } finally {
            applier.remove(namespace, e -> { });
        }
        System.exit(0);
    }

    private static StackResources resources(StackConverter converter, Path file, String namespace) throws Exception {
        LoadedDefinition loaded = new DefinitionLoader(file.toAbsolutePath().getParent())
                .load(Files.readString(file), Map.of());
        return converter.convert(namespace, loaded.definition()).resources();
    }
}
