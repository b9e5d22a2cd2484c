package org.ailtire.definition;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.snakeyaml.engine.v2.api.ConstructNode;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.api.lowlevel.Parse;
import org.snakeyaml.engine.v2.events.Event;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;
import org.snakeyaml.engine.v2.resolver.ScalarResolver;
import org.snakeyaml.engine.v2.schema.CoreSchema;
import org.snakeyaml.engine.v2.schema.Schema;

/**
 * Reads YAML 1.2 (core schema) into a plain tree: {@link LinkedHashMap} with string keys, {@link ArrayList},
 * {@link Scalar} and null. Aliases are expanded and {@code <<} merge keys applied. Every expansion counts against
 * a node budget and every scalar (and key) against a character budget, so an alias bomb of many collections or of
 * one large scalar fails fast instead of exhausting memory.
 */
final class YamlReader {
    static final int MAX_ALIASES = 100;
    static final int MAX_DEPTH = 64;
    static final int MAX_NODES = 100_000;
    private static final String MERGE_KEY = "<<";

    /**
     * YAML 1.2 core, except that "<<" stays a plain key (merge keys are applied here, with our paths and limits) and
     * a plain "${VAR}" stays a string (snakeyaml-engine would tag it for its own environment substitution).
     */
    private static final Schema CORE_WITHOUT_MERGE = new Schema() {
        private final CoreSchema core = new CoreSchema();

        @Override
        public ScalarResolver getScalarResolver() {
            return (value, implicit) -> {
                Tag tag = core.getScalarResolver().resolve(value, implicit);
                return tag.equals(Tag.MERGE) || tag.equals(Tag.ENV_TAG) ? Tag.STR : tag;
            };
        }

        @Override
        public Map<Tag, ConstructNode> getSchemaTagConstructors() {
            return core.getSchemaTagConstructors();
        }
    };

    private final int maxBytes;
    private final long maxChars;
    private int nodes;
    private long chars;

    /** @param maxBytes the largest document; it may expand to {@link DefinitionLoader#MAX_EXPANDED_CHARS} */
    YamlReader(int maxBytes) {
        this(maxBytes, DefinitionLoader.MAX_EXPANDED_CHARS);
    }

    /** @param maxChars how many characters of scalars and keys the expanded tree may hold */
    YamlReader(int maxBytes, long maxChars) {
        this.maxBytes = maxBytes;
        this.maxChars = maxChars;
    }

    /** @return the document's root, a mapping */
    Map<String, Object> read(String yaml) throws DefinitionException {
        if (yaml.length() > maxBytes || yaml.getBytes(StandardCharsets.UTF_8).length > maxBytes) {
            throw new DefinitionTooLargeException("", "the definition is larger than " + maxBytes + " bytes");
        }
        LoadSettings settings = LoadSettings.builder()
                .setSchema(CORE_WITHOUT_MERGE)
                .setCodePointLimit(maxBytes)
                .setMaxAliasesForCollections(MAX_ALIASES)
                .setAllowRecursiveKeys(false)
                .setAllowDuplicateKeys(false)
                .setUseMarks(true)
                .build();
        Optional<Node> root;
        try {
            checkNesting(settings, yaml);
            root = new Compose(settings).composeString(yaml);
        } catch (MarkedYamlEngineException e) {
            throw failure(position(e) + (e.getContext() == null ? "" : e.getContext() + ", ") + e.getProblem());
        } catch (YamlEngineException e) {
            throw failure("invalid YAML: " + e.getMessage());
        }
        if (root.isEmpty() || isNull(root.get())) {
            throw failure("the definition is empty");
        }
        if (!(root.get() instanceof MappingNode)) {
            throw failure("expected a mapping at the top of the definition");
        }
        Problems problems = new Problems();
        @SuppressWarnings("unchecked")
        Map<String, Object> tree = (Map<String, Object>) convert(root.get(), "", 0, problems);
        problems.throwIfErrors();
        return tree;
    }

    /** The composer recurses once per level; refuse deep nesting before it can overflow the stack. */
    private static void checkNesting(LoadSettings settings, String yaml) throws DefinitionException {
        int depth = 0;
        for (Event event : new Parse(settings).parseString(yaml)) {
            switch (event.getEventId()) {
                case MappingStart, SequenceStart -> {
                    if (++depth > MAX_DEPTH) {
                        throw failure(event.getStartMark().map(YamlReader::position).orElse("")
                                + "nesting deeper than " + MAX_DEPTH + " levels");
                    }
                }
                case MappingEnd, SequenceEnd -> depth--;
                default -> {
                }
            }
        }
    }

    private Object convert(Node node, String path, int depth, Problems problems) throws DefinitionException {
        if (++nodes > MAX_NODES) {
            throw failure("the definition expands to more than " + MAX_NODES + " nodes (too many aliases?)");
        }
        if (depth > MAX_DEPTH) {
            throw new DefinitionException(List.of(Problem.error(path,
                    "nesting deeper than " + MAX_DEPTH + " levels (recursive alias?)")));
        }
        return switch (node) {
            case ScalarNode scalar -> {
                count(scalar);
                yield scalar(scalar, path, problems);
            }
            case SequenceNode sequence -> {
                List<Object> list = new ArrayList<>();
                for (Node item : sequence.getValue()) {
                    list.add(convert(item, Problems.index(path, list.size()), depth + 1, problems));
                }
                yield list;
            }
            case MappingNode mapping -> mapping(mapping, path, depth, problems);
            default -> throw new IllegalStateException("unexpected YAML node " + node.getNodeType());
        };
    }

    private Map<String, Object> mapping(MappingNode mapping, String path, int depth, Problems problems)
            throws DefinitionException {
        Map<String, Object> explicit = new LinkedHashMap<>();
        List<Map<String, Object>> merged = new ArrayList<>();
        for (NodeTuple tuple : mapping.getValue()) {
            if (!(tuple.getKeyNode() instanceof ScalarNode keyNode) || isNull(keyNode)) {
                problems.error(path, "keys must be strings" + at(tuple.getKeyNode()));
                continue;
            }
            String key = keyNode.getValue();
            count(keyNode);
            String childPath = Problems.child(path, key);
            if (MERGE_KEY.equals(key) && (keyNode.isPlain() || keyNode.getTag().equals(Tag.MERGE))) {
                merged.addAll(mergeSources(tuple.getValueNode(), childPath, depth, problems));
            } else if (explicit.containsKey(key)) {
                problems.error(childPath, "duplicate key" + at(keyNode));
            } else {
                explicit.put(key, convert(tuple.getValueNode(), childPath, depth + 1, problems));
            }
        }
        if (merged.isEmpty()) {
            return explicit;
        }
        // YAML merge: keys of the mapping itself win, then earlier merge sources over later ones.
        Map<String, Object> result = new LinkedHashMap<>();
        for (Map<String, Object> source : merged) {
            source.forEach(result::putIfAbsent);
        }
        result.putAll(explicit);
        return result;
    }

    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> mergeSources(Node value, String path, int depth, Problems problems)
            throws DefinitionException {
        List<Node> sources = value instanceof SequenceNode sequence ? sequence.getValue() : List.of(value);
        List<Map<String, Object>> maps = new ArrayList<>();
        for (Node source : sources) {
            if (source instanceof MappingNode) {
                maps.add((Map<String, Object>) convert(source, path, depth + 1, problems));
            } else {
                problems.error(path, "a merge key (<<) takes a mapping or a list of mappings" + at(source));
            }
        }
        return maps;
    }

    /** Aliases share one node; the tree (and all that reads it) holds a copy per use, so each use counts. */
    private void count(ScalarNode scalar) throws DefinitionTooLargeException {
        chars += scalar.getValue().length();
        if (chars > maxChars) {
            throw new DefinitionTooLargeException("", "the definition expands to more than " + maxChars
                    + " characters of values (large values repeated by aliases?)");
        }
    }

    private static Object scalar(ScalarNode scalar, String path, Problems problems) {
        Tag tag = scalar.getTag();
        if (tag.equals(Tag.NULL)) {
            return null;
        }
        if (tag.equals(Tag.STR)) {
            return Scalar.string(scalar.getValue());
        }
        if (tag.equals(Tag.INT)) {
            return new Scalar(scalar.getValue(), Scalar.Kind.INT);
        }
        if (tag.equals(Tag.FLOAT)) {
            return new Scalar(scalar.getValue(), Scalar.Kind.FLOAT);
        }
        if (tag.equals(Tag.BOOL)) {
            return new Scalar(scalar.getValue(), Scalar.Kind.BOOL);
        }
        problems.error(path, "unsupported YAML tag " + tag.getValue() + at(scalar));
        return null;
    }

    private static boolean isNull(Node node) {
        return node instanceof ScalarNode scalar && scalar.getTag().equals(Tag.NULL);
    }

    private static String at(Node node) {
        return node.getStartMark().map(m -> " (line " + (m.getLine() + 1) + ", column " + (m.getColumn() + 1) + ")")
                .orElse("");
    }

    private static String position(MarkedYamlEngineException e) {
        return e.getProblemMark().or(e::getContextMark).map(YamlReader::position).orElse("");
    }

    private static String position(Mark mark) {
        return "line " + (mark.getLine() + 1) + ", column " + (mark.getColumn() + 1) + ": ";
    }

    private static DefinitionException failure(String message) {
        return new DefinitionException(List.of(Problem.error("", message)));
    }
}
