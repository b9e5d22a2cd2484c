package org.ailtire.stack;

public class NoSuchServiceException extends RuntimeException {
    public NoSuchServiceException(String name) {
        super("no service named " + name + " in this stack");
    }
}
