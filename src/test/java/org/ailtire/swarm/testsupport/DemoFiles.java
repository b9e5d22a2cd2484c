package org.ailtire.swarm.testsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

/**
 * The demo application's definitions (examples/shop) for a test: copied into a folder of the test's, with the
 * database password file that scripts/demo makes for a user (db.yml reads it as its secret {@code db_password}).
 */
public final class DemoFiles {
    /** The definitions, top first. */
    public static final List<String> DEFINITIONS = List.of("stack.yml", "backend.yml", "db.yml");
    public static final String PASSWORD_FILE = "db-password.txt";
    /** The images of the demo's own services (not the controllers'), as the definitions name them. */
    public static final List<String> IMAGES = List.of("ailtire/demo-web:local", TestSwarm.BUSYBOX,
            "ailtire/demo-store:local", "ailtire/demo-db:local");

    private DemoFiles() {
    }

    /** Copies the definitions into {@code folder} (created if needed) with a fresh password; returns the top's path. */
    public static Path copyTo(Path folder) throws IOException {
        Files.createDirectories(folder);
        for (String file : DEFINITIONS) {
            Files.copy(Path.of("examples/shop", file), folder.resolve(file));
        }
        Files.writeString(folder.resolve(PASSWORD_FILE), UUID.randomUUID().toString().replace("-", ""));
        return folder.resolve("stack.yml");
    }

    /** The db stack's PostgreSQL volume (namespace {@code <app>-backend-db}, key {@code pgdata}), which shutdown keeps. */
    public static String dataVolume(String app) {
        return app + "-backend-db_pgdata";
    }
}
