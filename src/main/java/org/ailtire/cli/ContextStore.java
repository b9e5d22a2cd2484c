package org.ailtire.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.ailtire.stack.Json;
import org.ailtire.stack.Names;

import java.io.IOException;
import java.net.URI;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The context files deploy leaves for the other commands: {@code <dir>/<app>.json} holding
 * {@code {"url": "...", "applicationUrl": "...", "token": "..."}}, readable by the owner only (the token opens the
 * whole tree). {@code url} is the top controller's admin URL (control plane and console), the one the commands talk
 * to; {@code applicationUrl} the top gateway's, for people to read. A file from before the gateway had a port of its
 * own has no {@code applicationUrl}: its {@code url} served both.
 */
public final class ContextStore {
    private static final String SUFFIX = ".json";
    private final Path directory;

    public ContextStore(Path directory) {
        this.directory = directory;
    }

    /** {@code <home>/.ailtire} */
    public static ContextStore inHome(Path home) {
        return new ContextStore(home.resolve(".ailtire"));
    }

    public Path directory() {
        return directory;
    }

    public Path file(String app) {
        return directory.resolve(Names.require("app", app) + SUFFIX);
    }

    /** The applications that have a context file, sorted. */
    public List<String> apps() throws IOException {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(directory)) {
            return files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(SUFFIX))
                    .map(n -> n.substring(0, n.length() - SUFFIX.length()))
                    .filter(Names::isValid)
                    .sorted()
                    .toList();
        }
    }

    public Optional<ControllerContext> read(String app) throws IOException {
        Path file = file(app);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        JsonNode json;
        try {
            json = Json.MAPPER.readTree(file.toFile());
        } catch (IOException e) {
            throw new IOException("context file " + file + " is not JSON: " + e.getMessage(), e);
        }
        String url = json == null ? "" : json.path("url").asText("");
        String token = json == null ? "" : json.path("token").asText("");
        if (url.isBlank() || token.isBlank()) {
            throw new IOException("context file " + file + ": expected {\"url\": \"...\", \"token\": \"...\"}");
        }
        URI admin = uri(file, "url", url);
        String application = json.path("applicationUrl").asText("");
        return Optional.of(new ControllerContext(Optional.of(app), admin, token,
                application.isBlank() ? Optional.empty() : Optional.of(uri(file, "applicationUrl", application))));
    }

    private static URI uri(Path file, String key, String text) throws IOException {
        try {
            return URI.create(text);
        } catch (IllegalArgumentException e) {
            throw new IOException("context file " + file + ": " + key + ": not a URL: " + text, e);
        }
    }

    /** All readable contexts (for matching a URL to its application). */
    public List<ControllerContext> readAll() throws IOException {
        List<ControllerContext> all = new ArrayList<>();
        for (String app : apps()) {
            read(app).ifPresent(all::add);
        }
        return all;
    }

    /** Writes (or replaces) the context of {@code context.app()} with owner-only permissions. */
    public Path write(ControllerContext context) throws IOException {
        String app = context.app().orElseThrow(() -> new IllegalArgumentException("a context file needs an app"));
        Path file = file(app);
        createDirectory();
        Map<String, String> body = new LinkedHashMap<>();
        body.put("url", context.url().toString());
        context.applicationUrl().ifPresent(url -> body.put("applicationUrl", url.toString()));
        body.put("token", context.token());
        Path temp = ownerOnlyFile(directory.resolve("." + app + SUFFIX + ".tmp"));
        try {
            Files.writeString(temp, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(body) + "\n");
            try {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
        return file;
    }

    /** @return whether there was a context file to delete */
    public boolean delete(String app) throws IOException {
        return Files.deleteIfExists(file(app));
    }

    private void createDirectory() throws IOException {
        if (Files.isDirectory(directory)) {
            return;
        }
        if (posix()) {
            Files.createDirectories(directory, PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rwx------")));
        } else {
            Files.createDirectories(directory);
        }
    }

    private Path ownerOnlyFile(Path temp) throws IOException {
        Files.deleteIfExists(temp);
        try {
            if (posix()) {
                // Created with 0600 from the start: the token is never readable by others, not even briefly.
                return Files.createFile(temp, PosixFilePermissions.asFileAttribute(
                        PosixFilePermissions.fromString("rw-------")));
            }
            return Files.createFile(temp);
        } catch (FileAlreadyExistsException e) {
            throw new IOException("another process is writing " + temp, e);
        }
    }

    private boolean posix() {
        return directory.getFileSystem().supportedFileAttributeViews().contains("posix");
    }
}
