package org.ailtire.stack;

/**
 * How a {@link ParentLink} reaches its parent stack's controller: what it sends, and the parent's answer.
 * The HTTP one is {@code org.ailtire.protocol.HttpParentChannel}.
 */
public interface ParentChannel extends AutoCloseable {
    /** The parent's answer: its HTTP status (-1 when it could not be reached) and, when refused, why. */
    record Answer(int code, String why) {
        public static final Answer UNREACHABLE = new Answer(-1, "");

        public boolean ok() {
            return code / 100 == 2;
        }

        @Override
        public String toString() {
            return code < 0 ? "nothing (parent unreachable)" : "HTTP " + code + (why.isBlank() ? "" : " " + why.strip());
        }
    }

    Answer register(Registration self);

    Answer report(String self, Status status);

    @Override
    void close();
}
