package org.ailtire.definition;

/**
 * A YAML scalar as written, with the type the YAML 1.2 core schema gives it. The text is kept so that a value
 * like {@code mode: 0440} can still be read as octal, and {@code VERSION: 1.10} stays "1.10" in a string context.
 */
record Scalar(String text, Kind kind) {
    enum Kind { STRING, INT, FLOAT, BOOL }

    static Scalar string(String text) {
        return new Scalar(text, Kind.STRING);
    }
}
