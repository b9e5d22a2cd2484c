package org.ailtire;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.spi.ToolProvider;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * No two packages of the product depend on each other, directly or through others: the data flows one way
 * (definition, then topology and convert, then apply, stack, gateway, api). Read from the compiled classes with the
 * JDK's jdeps, so a fully qualified name counts as much as an import.
 */
class PackageCyclesTest {
    private static final Pattern EDGE = Pattern.compile("^\\s+(org\\.ailtire[\\w.]*)\\s+->\\s+(org\\.ailtire[\\w.]*)\\s");

    @Test
    void packagesFormNoCycle() throws Exception {
        Map<String, Set<String>> graph = packageGraph();
        assertThat(graph).as("jdeps saw the product's packages").containsKeys("org.ailtire.gateway",
                "org.ailtire.swarm.topology", "org.ailtire.controller");
        assertThat(graph.get("org.ailtire.gateway")).contains("org.ailtire.definition");
        assertThat(graph.get("org.ailtire.swarm.topology")).contains("org.ailtire.definition")
                .doesNotContain("org.ailtire.gateway");

        assertThat(cycles(graph)).as("packages that depend on each other").isEmpty();
    }

    @Test
    void aCycleIsFound() {
        Map<String, Set<String>> graph = Map.of("a", Set.of("b"), "b", Set.of("c"), "c", Set.of("a"), "d", Set.of("a"));
        assertThat(cycles(graph)).containsExactly(List.of("a", "b", "c"));
    }

    private static Map<String, Set<String>> packageGraph() throws Exception {
        Path classes = Path.of(org.ailtire.definition.DefinitionLoader.class.getProtectionDomain().getCodeSource()
                .getLocation().toURI());
        ToolProvider jdeps = ToolProvider.findFirst("jdeps").orElseThrow();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = jdeps.run(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), "-verbose:package", classes.toString());
        assertThat(exit).as(err.toString(StandardCharsets.UTF_8)).isZero();
        Map<String, Set<String>> graph = new TreeMap<>();
        for (String line : out.toString(StandardCharsets.UTF_8).split("\n")) {
            Matcher edge = EDGE.matcher(line);
            if (edge.find() && !edge.group(1).equals(edge.group(2))) {
                graph.computeIfAbsent(edge.group(1), k -> new TreeSet<>()).add(edge.group(2));
            }
        }
        return graph;
    }

    /** The strongly connected components with more than one package (Tarjan), each sorted. */
    static List<List<String>> cycles(Map<String, Set<String>> graph) {
        return new Object() {
            final Map<String, Integer> index = new TreeMap<>();
            final Map<String, Integer> low = new TreeMap<>();
            final List<String> stack = new ArrayList<>();
            final List<List<String>> found = new ArrayList<>();

            List<List<String>> run() {
                new TreeSet<>(graph.keySet()).forEach(node -> {
                    if (!index.containsKey(node)) {
                        visit(node);
                    }
                });
                return found;
            }

            void visit(String node) {
                index.put(node, index.size());
                low.put(node, index.get(node));
                stack.add(node);
                for (String next : graph.getOrDefault(node, Set.of())) {
                    if (!index.containsKey(next)) {
                        visit(next);
                        low.put(node, Math.min(low.get(node), low.get(next)));
                    } else if (stack.contains(next)) {
                        low.put(node, Math.min(low.get(node), index.get(next)));
                    }
                }
                if (low.get(node).equals(index.get(node))) {
                    List<String> component = new ArrayList<>();
                    String member;
                    do {
                        member = stack.removeLast();
                        component.add(member);
                    } while (!member.equals(node));
                    if (component.size() > 1) {
                        found.add(component.stream().sorted().toList());
                    }
                }
            }
        }.run();
    }
}
