package org.ailtire.images;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Volume;
import org.ailtire.swarm.DockerClients;
import org.ailtire.swarm.testsupport.TestSwarm;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/** The controller image built by images/build-all.sh, run as plain containers with the Docker socket mounted. */
@Tag("integration")
class ControllerImageIT {
    /** AILTIRE_IT_CONTROLLER_IMAGE picks another build when several checkouts share the engine. */
    static final String IMAGE = java.util.Optional.ofNullable(System.getenv("AILTIRE_IT_CONTROLLER_IMAGE"))
            .filter(image -> !image.isBlank()).orElse("ailtire/controller:local");
    private static final String SOCKET = "/var/run/docker.sock";
    private static final String PROBE_DIR = "/tmp/probe";

    private TestSwarm swarm;
    private final List<String> containers = new ArrayList<>();

    @BeforeAll
    static void imageIsBuilt() {
        try (DockerClient docker = DockerClients.connect()) {
            docker.inspectImageCmd(IMAGE).exec();
        } catch (NotFoundException e) {
            fail(IMAGE + " is missing: build it with images/build-all.sh (or images/build-controller.sh once the"
                    + " base and jre images exist)");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @BeforeEach
    void namespace() {
        swarm = TestSwarm.create("image");
    }

    @AfterEach
    void removeContainersThenNamespace() {
        try {
            for (String id : containers) {
                try {
                    swarm.docker().removeContainerCmd(id).withForce(true).exec();
                } catch (NotFoundException ignored) {
                    // already gone
                }
            }
        } finally {
            swarm.close();
        }
    }

    @Test
    void theControllerRunsWithTheSocketMountedAndExitsZeroWithoutClassDataWarnings() {
        Run run = run(cmd -> cmd.withCmd("--version"));

        assertThat(run.exitCode()).as("exit code; output:%n%s", run.output()).isZero();
        // A class-data archive that does not match the runtime options makes the JVM print [cds] warnings or
        // errors at every start.
        assertThat(run.output()).doesNotContain("[cds]");
    }

    @Test
    void theApplicationClassesComeFromTheClassDataArchive() {
        Run run = run(cmd -> cmd.withEntrypoint("java", "@/app/jvm.args", "-Xshare:on", "-Xlog:class+load=info",
                "-jar", "/app/ailtire-swarm.jar", "--version"));

        assertThat(run.exitCode()).as("exit code; output:%n%s", run.output()).isZero();
        assertThat(run.output()).contains("org.ailtire.cli.Main source: shared objects file");
    }

    @Test
    void theImageHoldsDebiansHaproxyForTheGatewaysDataPlane() {
        Run run = run(cmd -> {
            cmd.withEntrypoint("/usr/sbin/haproxy", "-vv");
            cmd.getHostConfig().withNetworkMode("none");
        });

        assertThat(run.exitCode()).as("exit code; output:%n%s", run.output()).isZero();
        // 2.6 for the runtime API's add/del server; PCRE2 for the rewrites' replace-path.
        assertThat(run.output()).contains("HAProxy version 2.6.").contains("+PCRE2");
    }

    @Test
    void javaInTheImageReachesTheEngineOverTheSocketAndResolvesNamesThroughDockerDns() throws IOException {
        String network = swarm.namespace();
        String alias = "probe-" + network;
        swarm.docker().createNetworkCmd().withName(network).withDriver("bridge")
                .withLabels(swarm.namespaceLabel()).exec();

        Run run = run(cmd -> {
            cmd.withEntrypoint("java", "--enable-native-access=ALL-UNNAMED",
                    "-cp", PROBE_DIR + ":/app/ailtire-swarm.jar:/app/lib/*", EngineProbe.class.getName(),
                    alias, "localhost");
            cmd.getHostConfig().withNetworkMode(network);
            cmd.withAliases(alias);
        });

        assertThat(run.exitCode()).as("exit code; output:%n%s", run.output()).isZero();
        assertThat(run.output())
                .contains("engine api ")
                .contains("swarm ACTIVE")
                .containsPattern("resolved " + alias + " \\d+\\.\\d+\\.\\d+\\.\\d+")
                .contains("resolved localhost 127.0.0.1");
    }

    private record Run(int exitCode, String output) {
    }

    /**
     * Creates a container of the image with the socket mounted, copies {@link EngineProbe} into it (harmless when
     * unused), runs it to its end and returns its exit code and output.
     */
    private Run run(Consumer<CreateContainerCmd> customise) {
        DockerClient docker = swarm.docker();
        CreateContainerCmd create = docker.createContainerCmd(IMAGE)
                .withLabels(swarm.namespaceLabel())
                .withHostConfig(HostConfig.newHostConfig().withBinds(new Bind(SOCKET, new Volume(SOCKET))));
        customise.accept(create);
        String id = create.exec().getId();
        containers.add(id);
        docker.copyArchiveToContainerCmd(id).withRemotePath("/tmp").withTarInputStream(probeClassTar()).exec();
        docker.startContainerCmd(id).exec();
        int exitCode = docker.waitContainerCmd(id).start().awaitStatusCode(120, TimeUnit.SECONDS);
        return new Run(exitCode, output(id));
    }

    private String output(String id) {
        StringBuilder text = new StringBuilder();
        try {
            swarm.docker().logContainerCmd(id).withStdOut(true).withStdErr(true).exec(new ResultCallback.Adapter<Frame>() {
                @Override
                public void onNext(Frame frame) {
                    text.append(new String(frame.getPayload(), StandardCharsets.UTF_8));
                }
            }).awaitCompletion(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return text.toString();
    }

    /** A tar of probe/org/ailtire/images/EngineProbe.class, to be unpacked under /tmp. */
    private static InputStream probeClassTar() {
        String classFile = EngineProbe.class.getName().replace('.', '/') + ".class";
        try (InputStream in = EngineProbe.class.getClassLoader().getResourceAsStream(classFile)) {
            if (in == null) {
                throw new IllegalStateException(classFile + " not on the test class path");
            }
            byte[] bytes = in.readAllBytes();
            ByteArrayOutputStream tar = new ByteArrayOutputStream();
            try (TarArchiveOutputStream out = new TarArchiveOutputStream(tar)) {
                TarArchiveEntry entry = new TarArchiveEntry("probe/" + classFile);
                entry.setSize(bytes.length);
                out.putArchiveEntry(entry);
                out.write(bytes);
                out.closeArchiveEntry();
            }
            return new ByteArrayInputStream(tar.toByteArray());
        } catch (IOException e) {
            throw new IllegalStateException("packing the probe: " + e.getMessage(), e);
        }
    }
}
