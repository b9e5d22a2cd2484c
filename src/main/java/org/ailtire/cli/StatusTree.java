package org.ailtire.cli;

import org.ailtire.stack.Status;

import java.util.ArrayList;
import java.util.List;

/**
 * Renders a status tree like {@code docker stack ps} meets {@code tree}: a header, then one line per stack and
 * service (stacks end in {@code /}), with state, a stack's aggregate, the nodes a service runs on (when the status
 * names any) and the last log line, each line cut to the terminal width; then the swarm's nodes and the stack's
 * definition policy, when told.
 */
final class StatusTree {
    private record Row(String name, String state, String aggregate, String nodes, String message) {
    }

    private final Ansi ansi;
    private final int width;
    private final boolean unicode;

    /**
     * @param width   columns to fit in; 0 for no limit
     * @param unicode whether box-drawing characters can be printed (else ASCII)
     */
    StatusTree(boolean colour, int width, boolean unicode) {
        this.ansi = new Ansi(colour);
        this.width = width;
        this.unicode = unicode;
    }

    List<String> render(Status root) {
        List<Row> rows = new ArrayList<>();
        rows.add(new Row("NAME", "STATE", "AGGREGATE", "NODES", "MESSAGE"));
        rows.add(row("", root));
        addChildren(rows, root, "");
        int nameWidth = rows.stream().mapToInt(r -> r.name().length()).max().orElse(0);
        int stateWidth = rows.stream().mapToInt(r -> r.state().length()).max().orElse(0);
        int aggregateWidth = rows.stream().mapToInt(r -> r.aggregate().length()).max().orElse(0);
        boolean withNodes = rows.stream().skip(1).anyMatch(r -> !r.nodes().isEmpty());
        int nodesWidth = withNodes ? rows.stream().mapToInt(r -> r.nodes().length()).max().orElse(0) : 0;
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            Row r = rows.get(i);
            boolean header = i == 0;
            String name = pad(r.name(), nameWidth);
            String state = pad(r.state(), stateWidth);
            String aggregate = pad(r.aggregate(), aggregateWidth);
            String nodes = withNodes ? pad(r.nodes(), nodesWidth) + "  " : "";
            String fixed = name + "  " + state + "  " + aggregate + "  " + nodes;
            String message = fit(r.message(), fixed.length());
            String line = header
                    ? ansi.bold((fixed + message).stripTrailing())
                    : name + "  " + colourPad(r.state(), stateWidth) + "  " + colourPad(r.aggregate(), aggregateWidth)
                    + "  " + nodes + message;
            lines.add(header ? line : stripTrailingPlain(line, fixed + message));
        }
        if (root.cluster() != null && !root.cluster().isEmpty()) {
            lines.add("");
            lines.addAll(cluster(root.cluster()));
        }
        if (root.policy() != null) {
            lines.add("");
            lines.add(ansi.bold("POLICY") + "  " + TerminalText.clean(String.join(", ", root.policy().allowances())));
        }
        return lines;
    }

    /** The swarm's nodes, a line each; a node that runs no tasks (down, drained, paused) is coloured. */
    private List<String> cluster(List<Status.Node> nodes) {
        int nameWidth = Math.max(4, nodes.stream().mapToInt(n -> n.name().length()).max().orElse(0));
        int roleWidth = Math.max(4, nodes.stream().mapToInt(n -> String.valueOf(n.role()).length()).max().orElse(0));
        int stateWidth = Math.max(5, nodes.stream().mapToInt(n -> String.valueOf(n.state()).length()).max().orElse(0));
        List<String> lines = new ArrayList<>();
        lines.add(ansi.bold(pad("NODE", nameWidth) + "  " + pad("ROLE", roleWidth) + "  " + pad("STATE", stateWidth)
                + "  AVAILABILITY"));
        for (Status.Node node : nodes) {
            String line = TerminalText.clean(pad(node.name(), nameWidth) + "  " + pad(String.valueOf(node.role()), roleWidth)
                    + "  " + pad(String.valueOf(node.state()), stateWidth) + "  " + node.availability());
            lines.add(node.healthy() ? line : ansi.warn(line));
        }
        return lines;
    }

    private void addChildren(List<Row> rows, Status stack, String indent) {
        List<Status> children = stack.children();
        for (int i = 0; i < children.size(); i++) {
            boolean last = i == children.size() - 1;
            Status child = children.get(i);
            String branch = unicode ? (last ? "└── " : "├── ") : (last ? "`-- " : "|-- ");
            rows.add(row(indent + branch, child));
            String deeper = indent + (last ? "    " : (unicode ? "│   " : "|   "));
            addChildren(rows, child, deeper);
        }
    }

    private static Row row(String prefix, Status status) {
        boolean stack = status.type() == Status.Type.STACK;
        return new Row(prefix + TerminalText.clean(status.name()) + (stack ? "/" : ""), status.state().name(),
                stack && status.aggregate() != null ? status.aggregate().name() : "",
                TerminalText.clean(String.join(",", status.nodes())), oneLine(status.message()));
    }

    private String colourPad(String word, int width) {
        return ansi.state(word) + " ".repeat(Math.max(0, width - word.length()));
    }

    private String fit(String message, int used) {
        if (width <= 0 || used + message.length() <= width) {
            return message;
        }
        int room = width - used - 1;
        if (room <= 0) {
            return "";
        }
        return message.substring(0, room) + (unicode ? "…" : "~");
    }

    /** Trailing blanks of short lines go, without disturbing colour codes in the middle. */
    private static String stripTrailingPlain(String coloured, String plain) {
        int trailing = plain.length() - plain.stripTrailing().length();
        return trailing == 0 ? coloured : coloured.substring(0, coloured.length() - trailing);
    }

    private static String oneLine(String message) {
        String stripped = message.strip();
        int newline = stripped.lastIndexOf('\n');
        return TerminalText.clean((newline < 0 ? stripped : stripped.substring(newline + 1)).replace('\t', ' '));
    }

    private static String pad(String text, int width) {
        return text + " ".repeat(Math.max(0, width - text.length()));
    }
}
