package org.ailtire.stack;

/** A service of a container engine, as the spec names it: it has a status and logs. */
public abstract class Service {
    private final String name;

    protected Service(String name) {
        this.name = Names.require("name", name);
    }

    public final String name() {
        return name;
    }

    public abstract Status status();

    /**
     * Streams the logs asked for into {@code sink} (from any thread), ending it unless following.
     *
     * @return what stops the stream early
     * @throws NoSuchServiceException when the request names a service this one does not have
     */
    public abstract AutoCloseable log(LogRequest request, LogSink sink);

    /** How many log streams {@link #log} opens for this request (one per service it reads, one per child stack). */
    public int logStreams(LogRequest request) {
        return 1;
    }
}
