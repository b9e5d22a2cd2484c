package org.ailtire.stack;

/** A history version that does not exist (never recorded, or no longer kept). */
public final class NoSuchVersionException extends RuntimeException {
    public NoSuchVersionException(int version) {
        super("no definition version " + version + " in the history");
    }
}
