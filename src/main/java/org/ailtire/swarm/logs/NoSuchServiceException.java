package org.ailtire.swarm.logs;

/** The engine has no service with the given id or name. */
public final class NoSuchServiceException extends RuntimeException {
    private final String service;

    public NoSuchServiceException(String service, Throwable cause) {
        super("no such service: " + service, cause);
        this.service = service;
    }

    public String service() {
        return service;
    }
}
