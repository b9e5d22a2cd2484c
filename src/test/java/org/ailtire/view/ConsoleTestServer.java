package org.ailtire.view;

import io.vertx.core.Vertx;
import org.ailtire.api.AdminServer;
import org.ailtire.api.ServerSettings;
import org.ailtire.stack.LogLine;
import org.ailtire.stack.Status;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Test support for the browser test (e2e/): a control plane with a {@link ScriptedStack} driven from stdin.
 *
 * <p>Usage: {@code ConsoleTestServer <port> <token>}; prints {@code listening <port>} once ready, then reads one
 * command a line and answers {@code ok} or {@code error <why>}:
 * <pre>
 *   state &lt;path&gt; &lt;STATE&gt;                 e.g. state backend/api FAILED
 *   log &lt;path&gt; &lt;stdout|stderr&gt; &lt;text&gt;    e.g. log web stdout &lt;b&gt;x&lt;/b&gt;
 *   node &lt;name&gt; &lt;role&gt; &lt;state&gt; &lt;availability&gt;   e.g. node worker-1 worker down active
 *   place &lt;path&gt; [&lt;node&gt;=&lt;tasks&gt; ...]    e.g. place backend/db/store worker-1=2 manager-1=1 (none: nowhere)
 *   fail-next &lt;message&gt;                    the next update fails with this message
 *   quit
 * </pre>
 * It also stops when stdin closes, so a crashed test leaves no server behind.
 */
public final class ConsoleTestServer {
    private ConsoleTestServer() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: ConsoleTestServer <port> <token>");
            System.exit(2);
        }
        ScriptedStack stack = new ScriptedStack("shop");
        stack.setState("web", Status.State.RUNNING);
        stack.setState("backend/api", Status.State.RUNNING);
        stack.setState("backend/db/store", Status.State.RUNNING);
        stack.addLine("web", LogLine.Stream.STDOUT, "web ready");
        stack.addLine("backend/api", LogLine.Stream.STDOUT, "api: hello from the backend");
        stack.addLine("backend/api", LogLine.Stream.STDERR, "api warming up");
        stack.addLine("backend/db/store", LogLine.Stream.STDOUT, "store ready");
        stack.update(new org.ailtire.stack.UpdateRequest(List.of(), java.util.Map.of(),
                "services:\n  web:\n    image: ailtire/busybox:local\n"), "ailtire at start");

        Vertx vertx = Vertx.vertx();
        AdminServer server = new AdminServer(vertx, stack,
                ServerSettings.of("127.0.0.1", Integer.parseInt(args[0]), args[1]));
        int port = server.start().join();
        System.out.println("listening " + port);
        System.out.flush();

        try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            String command;
            while ((command = in.readLine()) != null && !command.equals("quit")) {
                try {
                    run(stack, command);
                    System.out.println("ok");
                } catch (RuntimeException e) {
                    System.out.println("error " + e.getMessage());
                }
                System.out.flush();
            }
        } finally {
            server.close();
            vertx.close().toCompletionStage().toCompletableFuture().join();
        }
        System.exit(0);
    }

    /** The {@code node=tasks} words after the path of a {@code place} command. */
    private static List<Status.Placement> placement(String command) {
        String[] words = command.split(" ");
        List<Status.Placement> placed = new ArrayList<>();
        for (int i = 2; i < words.length; i++) {
            String[] nodeAndTasks = words[i].split("=", 2);
            placed.add(new Status.Placement(nodeAndTasks[0], Integer.parseInt(nodeAndTasks[1])));
        }
        return placed;
    }

    private static void run(ScriptedStack stack, String command) {
        String[] words = command.split(" ", 4);
        switch (words[0]) {
            case "state" -> stack.setState(words[1], Status.State.valueOf(words[2].toUpperCase(Locale.ROOT)));
            case "log" -> stack.addLine(words[1], LogLine.Stream.valueOf(words[2].toUpperCase(Locale.ROOT)),
                    words.length > 3 ? words[3] : "");
            case "node" -> stack.setNode(new Status.Node(words[1], words[2], words[3].split(" ")[0],
                    words[3].split(" ")[1]));
            case "place" -> stack.place(words[1], placement(command));
            case "fail-next" -> stack.failNextUpdate(command.substring(command.indexOf(' ') + 1));
            default -> throw new IllegalArgumentException("unknown command: " + command);
        }
    }
}
