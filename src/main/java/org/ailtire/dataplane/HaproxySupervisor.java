package org.ailtire.dataplane;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs the gateway's HAProxy as a child process in master-worker mode ({@code haproxy -W -S <master socket>}) and keeps
 * it running: started again, after a growing pause, whenever it exits unasked. Routes are applied without dropping a
 * connection: a change of servers only (tasks added, drained, gone) through the runtime API, any other change by
 * rendering the configuration again, checking it ({@code haproxy -c}) and reloading through the master CLI, where the
 * old worker finishes the connections it has.
 */
public final class HaproxySupervisor implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HaproxySupervisor.class);
    /** The master CLI's {@code show proc}: the master's reloads and failed reloads, and the current worker. */
    private static final Pattern MASTER = Pattern.compile("(?m)^(\\d+)\\s+master\\s+(\\d+) \\[failed: (\\d+)]");
    private static final Pattern WORKER = Pattern.compile("(?m)^(\\d+)\\s+worker\\s+0\\s");
    private static final Duration READY_WITHIN = Duration.ofSeconds(10);
    /** Started again at once the first time, then after a pause that doubles up to this. */
    private static final Duration LONGEST_PAUSE = Duration.ofSeconds(30);
    /** A process that ran this long is well: its next failure starts over with a short pause. */
    private static final Duration WELL_AFTER = Duration.ofSeconds(30);

    private final Path binary;
    private final DataPlaneSettings settings;
    private final Duration firstPause;
    private final RuntimeApi runtime;
    private final RuntimeApi master;
    private final ScheduledExecutorService restarter = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "haproxy-supervisor");
        thread.setDaemon(true);
        return thread;
    });
    private final AtomicInteger starts = new AtomicInteger();
    // Guarded by this.
    private Process process;
    private Instant startedAt;
    private Duration pause;
    private List<RouteBackend> routes = List.of();
    private RenderedConfig rendered;
    private boolean closed;

    /** @param firstPause the pause before the second start in a row of failures (the first is immediate) */
    public HaproxySupervisor(Path binary, DataPlaneSettings settings, Duration firstPause) {
        this.binary = binary;
        this.settings = settings;
        this.firstPause = firstPause;
        this.pause = Duration.ZERO;
        this.runtime = new RuntimeApi(settings.runtimeSocket());
        this.master = new RuntimeApi(settings.masterSocket());
    }

    /** Debian's haproxy, or the one AILTIRE_HAPROXY names. */
    public static Path defaultBinary(Map<String, String> environment) {
        return Path.of(environment.getOrDefault("AILTIRE_HAPROXY", "/usr/sbin/haproxy"));
    }

    /** The runtime API of the current worker. */
    public RuntimeApi runtime() {
        return runtime;
    }

    /** How many times HAProxy was started (1 until it dies). */
    public int starts() {
        return starts.get();
    }

    public synchronized Optional<Long> masterPid() {
        return process != null && process.isAlive() ? Optional.of(process.pid()) : Optional.empty();
    }

    /** Renders, checks and starts HAProxy with these routes; returns once its worker serves. */
    public synchronized void start(List<RouteBackend> initial) throws IOException {
        if (process != null) {
            throw new IllegalStateException("haproxy runs already");
        }
        Files.createDirectories(settings.runDirectory(), PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwx------")));
        RenderedConfig next = HaproxyConfig.render(settings, initial);
        write(next);
        check();
        routes = List.copyOf(initial);
        rendered = next;
        try {
            launch();
        } catch (IOException e) {
            process = null; // a first start that fails is the caller's to handle, not restarted
            throw e;
        }
    }

    /**
     * Applies new routes: through the runtime API when only servers given by address changed, else by a checked
     * reload. A configuration HAProxy refuses is not applied (the running one stays) and fails with its reasons.
     */
    public synchronized void apply(List<RouteBackend> wanted) throws IOException {
        if (process == null) {
            throw new IllegalStateException("haproxy is not started");
        }
        RenderedConfig next = HaproxyConfig.render(settings, wanted);
        if (next.config().equals(rendered.config())) {
            return;
        }
        RenderedConfig previous = rendered;
        write(next);
        try {
            check();
        } catch (IOException refused) {
            write(previous);
            throw refused;
        }
        if (next.structure().equals(previous.structure())) {
            try {
                for (String command : ServerChanges.between(routes, wanted)) {
                    change(command);
                }
            } catch (IOException refused) {
                // Part of the changes may be made: the written configuration, loaded whole, is what serves then.
                LOG.warn("{}; reloading instead", refused.getMessage());
                reload();
            }
        } else {
            reload();
        }
        routes = List.copyOf(wanted);
        rendered = next;
    }

    /**
     * Serves another certificate chain and key on the TLS gateway port without a restart. It is written where the
     * configuration names it (a reload or a restart loads it from there), then swapped into the running worker
     * through the runtime API: open connections keep theirs, new handshakes get the new one. Should the runtime API
     * refuse it, a hitless reload loads it; should that fail too, the previous file is put back.
     */
    public synchronized void replaceCertificate(byte[] pem) throws IOException {
        GatewayTls tls = settings.tls().orElseThrow(() -> new IllegalStateException("the gateway serves no TLS"));
        Path file = tls.pemFile();
        byte[] previous = Files.exists(file) ? Files.readAllBytes(file) : null;
        String text = new String(pem, StandardCharsets.US_ASCII);
        writeAtomically(file, text);
        if (process == null) {
            return; // loaded when HAProxy starts
        }
        String name = file.toString();
        try {
            String created = runtime.execute("set ssl cert " + name, text);
            if (!created.contains("Transaction created") && !created.contains("Transaction updated")) {
                throw new IOException("haproxy refused the new certificate: " + created.strip());
            }
            String committed = runtime.execute("commit ssl cert " + name);
            if (!committed.contains("Success!")) {
                runtime.execute("abort ssl cert " + name);
                throw new IOException("haproxy did not commit the new certificate: " + committed.strip());
            }
        } catch (IOException refused) {
            LOG.warn("{}; reloading instead", refused.getMessage());
            try {
                reload();
            } catch (IOException failed) {
                if (previous != null) {
                    writeAtomically(file, new String(previous, StandardCharsets.US_ASCII));
                }
                throw failed;
            }
        }
    }

    private void change(String command) throws IOException {
        try {
            runtime.change(command);
        } catch (IOException e) {
            if (!command.startsWith("del server")) {
                throw e;
            }
            // Connections still attached: the server stays in maintenance (it gets nothing) until the next reload.
            LOG.info("{}", e.getMessage());
        }
    }

    /** A hitless reload through the master CLI; returns once the new worker serves. */
    private void reload() throws IOException {
        Matcher before = masterState();
        int reloads = Integer.parseInt(before.group(2));
        int failed = Integer.parseInt(before.group(3));
        saveServerState();
        master.execute("reload");
        long deadline = System.nanoTime() + READY_WITHIN.toNanos();
        while (System.nanoTime() < deadline) {
            Matcher now = masterStateOrNull();
            if (now != null && Integer.parseInt(now.group(2)) > reloads) {
                if (Integer.parseInt(now.group(3)) > failed) {
                    throw new IOException("haproxy's reload failed (the previous configuration still serves)");
                }
                if (currentWorker().isPresent()) {
                    return;
                }
            }
            sleep(Duration.ofMillis(20));
        }
        throw new IOException("haproxy did not reload within " + READY_WITHIN.toSeconds() + " s");
    }

    /** What the new worker loads: without it, servers found in DNS would have no address until it asks again. */
    private void saveServerState() {
        try {
            writeAtomically(settings.serverStateFile(), runtime.execute("show servers state"));
        } catch (IOException e) {
            LOG.info("the servers' state was not saved before the reload: {}", e.getMessage());
        }
    }

    private Matcher masterState() throws IOException {
        Matcher state = masterStateOrNull();
        if (state == null) {
            throw new IOException("haproxy's master CLI (" + settings.masterSocket() + ") does not answer");
        }
        return state;
    }

    private Matcher masterStateOrNull() {
        try {
            Matcher matcher = MASTER.matcher(master.execute("show proc"));
            return matcher.find() ? matcher : null;
        } catch (IOException e) {
            return null;
        }
    }

    /** The pid of the worker started by the latest (re)load, once the master lists it. */
    public Optional<Long> currentWorker() {
        try {
            Matcher matcher = WORKER.matcher(master.execute("show proc"));
            return matcher.find() ? Optional.of(Long.parseLong(matcher.group(1))) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private void launch() throws IOException {
        List<String> command = List.of(binary.toString(), "-W", "-S", settings.masterSocket() + ",mode,600",
                "-f", settings.configFile().toString());
        Process started = new ProcessBuilder(command).redirectErrorStream(true).start();
        starts.incrementAndGet();
        List<String> output = new ArrayList<>();
        Thread reader = new Thread(() -> relay(started, output), "haproxy-output-" + started.pid());
        reader.setDaemon(true);
        reader.start();
        process = started;
        startedAt = Instant.now();
        started.onExit().thenRun(() -> exited(started));
        long deadline = System.nanoTime() + READY_WITHIN.toNanos();
        while (System.nanoTime() < deadline && started.isAlive()) {
            if (currentWorker().isPresent() && runtimeAnswers()) {
                LOG.info("haproxy serves on {}:{} (master pid {})", settings.bindAddress(), settings.port(), started.pid());
                return;
            }
            sleep(Duration.ofMillis(20));
        }
        started.destroyForcibly();
        synchronized (output) {
            throw new IOException("haproxy did not start within " + READY_WITHIN.toSeconds() + " s: "
                    + String.join("\n", output));
        }
    }

    private boolean runtimeAnswers() {
        try {
            return runtime.execute("show info").contains("Pid:");
        } catch (IOException e) {
            return false;
        }
    }

    private static void relay(Process process, List<String> output) {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = lines.readLine()) != null; ) {
                synchronized (output) {
                    if (output.size() < 50) {
                        output.add(line);
                    }
                }
                LOG.info("haproxy: {}", line);
            }
        } catch (IOException e) {
            LOG.debug("haproxy's output ended: {}", e.getMessage());
        }
    }

    private synchronized void exited(Process exited) {
        if (closed || exited != process) {
            return;
        }
        boolean wasWell = Duration.between(startedAt, Instant.now()).compareTo(WELL_AFTER) >= 0;
        pause = wasWell ? Duration.ZERO : pause.isZero() ? firstPause : min(pause.multipliedBy(2), LONGEST_PAUSE);
        LOG.warn("haproxy exited with {}; starting it again in {} ms", exited.exitValue(), pause.toMillis());
        restarter.schedule(this::restart, pause.toMillis(), TimeUnit.MILLISECONDS);
    }

    private synchronized void restart() {
        if (closed) {
            return;
        }
        try {
            launch();
        } catch (IOException e) {
            LOG.warn("haproxy did not start again: {}", e.getMessage());
            // exited() schedules the next try once this process has gone
        }
    }

    private void write(RenderedConfig config) throws IOException {
        for (var file : config.files().entrySet()) {
            writeAtomically(settings.runDirectory().resolve(file.getKey()), file.getValue());
        }
        writeAtomically(settings.configFile(), config.config());
    }

    private static void writeAtomically(Path target, String content) throws IOException {
        Path temporary = target.resolveSibling(target.getFileName() + ".next");
        Files.writeString(temporary, content);
        Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private void check() throws IOException {
        Process check = new ProcessBuilder(binary.toString(), "-c", "-q", "-f", settings.configFile().toString())
                .redirectErrorStream(true).start();
        String output = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        try {
            if (check.waitFor() != 0) {
                throw new IOException("haproxy refused the rendered configuration: " + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while haproxy checked its configuration", e);
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static void sleep(Duration duration) throws IOException {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    /** Stops HAProxy (its connections are closed) and removes its sockets. */
    @Override
    public void close() {
        Process stopping;
        synchronized (this) {
            closed = true;
            stopping = process;
        }
        restarter.shutdownNow();
        if (stopping != null) {
            stopping.destroy();
            try {
                if (!stopping.waitFor(10, TimeUnit.SECONDS)) {
                    stopping.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try {
            Files.deleteIfExists(settings.masterSocket());
            Files.deleteIfExists(settings.runtimeSocket());
        } catch (IOException e) {
            LOG.debug("sockets left in {}: {}", settings.runDirectory(), e.getMessage());
        }
    }
}
