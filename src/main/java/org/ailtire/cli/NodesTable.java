package org.ailtire.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * Renders a {@link NodesView} for {@code status --nodes}: a line per node (name, role, state, availability; a node
 * that runs no tasks coloured), each followed by its tasks indented ({@code backend/db/store ×2}) or {@code no tasks}.
 */
final class NodesTable {
    private static final String INDENT = "    ";
    private final Ansi ansi;
    private final boolean unicode;

    /** @param unicode whether {@code ×} can be printed (else {@code x}) */
    NodesTable(boolean colour, boolean unicode) {
        this.ansi = new Ansi(colour);
        this.unicode = unicode;
    }

    List<String> render(NodesView view) {
        List<NodesView.NodeTasks> nodes = view.nodes();
        if (nodes.isEmpty()) {
            return List.of("no nodes known (the controller tells none)");
        }
        int nameWidth = Math.max(4, nodes.stream().mapToInt(n -> n.name().length()).max().orElse(0));
        int roleWidth = Math.max(4, nodes.stream().mapToInt(n -> text(n.role()).length()).max().orElse(0));
        int stateWidth = Math.max(5, nodes.stream().mapToInt(n -> text(n.state()).length()).max().orElse(0));
        List<String> lines = new ArrayList<>();
        lines.add(ansi.bold(pad("NODE", nameWidth) + "  " + pad("ROLE", roleWidth) + "  " + pad("STATE", stateWidth)
                + "  AVAILABILITY"));
        for (NodesView.NodeTasks node : nodes) {
            String line = TerminalText.clean(pad(node.name(), nameWidth) + "  " + pad(text(node.role()), roleWidth)
                    + "  " + pad(text(node.state()), stateWidth) + "  " + text(node.availability())).stripTrailing();
            lines.add(node.healthy() ? line : ansi.warn(line));
            if (node.tasks().isEmpty()) {
                lines.add(INDENT + "no tasks");
            }
            for (NodesView.Tasks tasks : node.tasks()) {
                lines.add(INDENT + TerminalText.clean(tasks.path()) + (unicode ? " ×" : " x") + tasks.count());
            }
        }
        return lines;
    }

    private static String text(String value) {
        return value == null ? "-" : value;
    }

    private static String pad(String text, int width) {
        return text + " ".repeat(Math.max(0, width - text.length()));
    }
}
