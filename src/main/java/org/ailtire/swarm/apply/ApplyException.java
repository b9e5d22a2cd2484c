package org.ailtire.swarm.apply;

/**
 * An apply that did not reach its target. {@link #rolledBack()} tells whether the stack is back on what it ran
 * before (true) or whether the rollback itself failed and the stack needs attention.
 */
public class ApplyException extends Exception {
    private final boolean rolledBack;

    public ApplyException(String message, boolean rolledBack, Throwable cause) {
        super(message, cause);
        this.rolledBack = rolledBack;
    }

    public boolean rolledBack() {
        return rolledBack;
    }
}
