package org.ailtire.gateway;

/** Turns a route's target (a key of this stack) into the address the gateway connects to. */
public interface TargetResolver {
    record Address(String host, int port) {
    }

    /** The target cannot be reached now; the gateway answers with {@code status} and the message. */
    final class Unavailable extends Exception {
        private final int status;

        public Unavailable(int status, String message) {
            super(message);
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    Address resolve(RouteTarget target) throws Unavailable;
}
