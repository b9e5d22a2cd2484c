package org.ailtire.definition;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Reads files a definition refers to ({@code env_file}, {@code file:} of configs and secrets), only from inside the
 * definition's directory. Without a directory (a definition received over the network) no file is ever read: the
 * content comes from the files sent with the definition (see {@link DefinitionFiles}), or the reference is refused.
 */
final class FileAccess {
    private final Path baseDirectory;
    private final DefinitionFiles sent;

    FileAccess(Path baseDirectory) {
        this.baseDirectory = baseDirectory == null ? null : baseDirectory.toAbsolutePath().normalize();
        this.sent = DefinitionFiles.NONE;
    }

    /** A definition received over the network, with the files sent with it (its own at {@code ""}). */
    FileAccess(DefinitionFiles sent) {
        this.baseDirectory = null;
        this.sent = sent == null ? DefinitionFiles.NONE : sent;
    }

    boolean isLocal() {
        return baseDirectory != null;
    }

    /** @return the file's bytes, or null when refused or unreadable (reported at {@code path}) */
    byte[] read(String reference, String path, Problems problems) {
        if (baseDirectory == null) {
            return readSent(reference, path, problems);
        }
        Path file = resolveInside(reference, path, problems);
        if (file == null) {
            return null;
        }
        try {
            Path real = file.toRealPath();
            if (!real.startsWith(baseDirectory.toRealPath())) {
                problems.error(path, "refused: \"" + reference + "\" leads outside the definition's directory (symbolic link)");
                return null;
            }
            if (!Files.isRegularFile(real)) {
                problems.error(path, "\"" + reference + "\" is not a regular file");
                return null;
            }
            if (Files.size(real) > DefinitionLoader.MAX_DEFINITION_BYTES) {
                problems.error(path, "\"" + reference + "\" is larger than " + DefinitionLoader.MAX_DEFINITION_BYTES + " bytes");
                return null;
            }
            return Files.readAllBytes(real);
        } catch (NoSuchFileException e) {
            problems.error(path, "file \"" + reference + "\" not found in " + baseDirectory);
        } catch (IOException e) {
            problems.error(path, "cannot read \"" + reference + "\": " + e);
        }
        return null;
    }

    private byte[] readSent(String reference, String path, Problems problems) {
        // A reference leading outside its directory is never sent, so it is never found.
        byte[] content = sent.own(reference);
        if (content == null) {
            problems.error(path, "refused: file reference \"" + reference + "\" in a definition received over the "
                    + "network without the file (the CLI sends the files a local definition names)");
        }
        return content;
    }

    /** A relative host path of a bind mount made absolute against the definition's directory. */
    String hostPath(String reference, String path, Problems problems) {
        if (baseDirectory == null) {
            problems.error(path, "refused: relative host path \"" + reference
                    + "\" in a definition received over the network (no directory to resolve it against)");
            return null;
        }
        return baseDirectory.resolve(reference).normalize().toString();
    }

    private Path resolveInside(String reference, String path, Problems problems) {
        if (baseDirectory == null) {
            problems.error(path, "refused: file reference \"" + reference
                    + "\" in a definition received over the network (files are read only for local definitions)");
            return null;
        }
        Path relative;
        try {
            relative = Path.of(reference);
        } catch (InvalidPathException e) {
            problems.error(path, "invalid file name \"" + reference + "\"");
            return null;
        }
        Path file = baseDirectory.resolve(relative).normalize();
        if (relative.isAbsolute() || !file.startsWith(baseDirectory)) {
            problems.error(path, "refused: \"" + reference + "\" is outside the definition's directory");
            return null;
        }
        return file;
    }
}
