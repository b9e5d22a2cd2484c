package org.ailtire.cli;

import org.ailtire.stack.Json;
import org.ailtire.stack.StackEvent;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code events}: who did what to the stack, when, and the result. */
@Command(name = "events", mixinStandardHelpOptions = true,
        description = "Show who did what to the stack (updates, rollbacks, registrations, shutdown, controller "
                + "starts), when, and how it ended; oldest first.")
public final class EventsCommand extends ClientCommand implements Callable<Integer> {
    @Mixin
    OutputOption output = new OutputOption();

    public EventsCommand(CliEnvironment env) {
        super(env);
    }

    @Override
    public Integer call() throws Exception {
        List<StackEvent> events = context().client().events();
        if (output.json()) {
            env.out().println(Json.MAPPER.writeValueAsString(Map.of("events", events)));
            return Main.OK;
        }
        for (StackEvent event : events) {
            env.out().printf("%s  %-9s %-10s %s%s%n", event.at(), TerminalText.clean(event.action()),
                    TerminalText.clean(event.result()), TerminalText.clean(event.actor()),
                    event.detail().isEmpty() ? "" : "  " + TerminalText.clean(event.detail()));
        }
        return Main.OK;
    }
}
