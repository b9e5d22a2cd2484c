package org.ailtire.definition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.api.Test;

class YamlReaderTest {
    private final YamlReader reader = new YamlReader(DefinitionLoader.MAX_DEFINITION_BYTES);

    @Test
    void yaml12CoreSchemaKeepsYesOnAndOctalLookingNumbersAsWritten() throws DefinitionException {
        Map<String, Object> tree = reader.read("a: yes\nb: on\nc: 0755\nd: true\ne: 1.10\nf: ~\ng: '8'\nh: 0o17\ni: ${X}\n");
        assertThat(tree).contains(
                Map.entry("a", Scalar.string("yes")),
                Map.entry("b", Scalar.string("on")),
                Map.entry("c", new Scalar("0755", Scalar.Kind.INT)),
                Map.entry("d", new Scalar("true", Scalar.Kind.BOOL)),
                Map.entry("e", new Scalar("1.10", Scalar.Kind.FLOAT)),
                Map.entry("g", Scalar.string("8")),
                Map.entry("h", new Scalar("0o17", Scalar.Kind.INT)),
                Map.entry("i", Scalar.string("${X}")));
        assertThat(tree).containsKey("f").extractingByKey("f").isNull();
        assertThat(Values.plain(tree.get("c"))).isEqualTo(755);
        assertThat(Values.plain(tree.get("h"))).isEqualTo(15);
    }

    @Test
    void aliasesAndMergeKeysResolveWithExplicitKeysWinning() throws DefinitionException {
        Map<String, Object> tree = reader.read("""
                base: &base {image: a, user: root}
                more: &more {user: nobody, hostname: h}
                one:
                  <<: *base
                  image: b
                two:
                  <<: [*more, *base]
                list: &l [1, 2]
                again: *l
                """);
        assertThat(tree.get("one")).isEqualTo(Map.of("image", Scalar.string("b"), "user", Scalar.string("root")));
        assertThat(tree.get("two")).isEqualTo(Map.of("user", Scalar.string("nobody"), "hostname", Scalar.string("h"),
                "image", Scalar.string("a")));
        assertThat(tree.get("again")).isEqualTo(tree.get("list")).isNotSameAs(tree.get("list"));
    }

    @Test
    void mergeKeyWithANonMappingIsAnError() {
        assertThatThrownBy(() -> reader.read("a:\n  <<: [1]\n"))
                .isInstanceOfSatisfying(DefinitionException.class, e -> assertThat(e.problems()).singleElement()
                        .satisfies(p -> assertThat(p.toString()).startsWith(
                                "a.<<: a merge key (<<) takes a mapping or a list of mappings (line 2")));
    }

    @Test
    void brokenYamlNamesLineAndColumn() {
        assertThatThrownBy(() -> reader.read("services:\n  web:\n    image: [a\n  db: x\n"))
                .isInstanceOfSatisfying(DefinitionException.class, e -> assertThat(e.problems()).singleElement()
                        .satisfies(p -> assertThat(p.message()).matches("line \\d+, column \\d+: .+")));
    }

    @Test
    void duplicateKeysAreErrors() {
        assertThatThrownBy(() -> reader.read("a: 1\nb: 2\na: 3\n"))
                .isInstanceOfSatisfying(DefinitionException.class, e -> assertThat(e.problems()).singleElement()
                        .satisfies(p -> assertThat(p.toString()).isEqualTo("a: duplicate key (line 3, column 1)")));
    }

    @Test
    void emptyOrNonMappingDocumentsAreRefused() {
        assertThatThrownBy(() -> reader.read("")).hasMessageContaining("the definition is empty");
        assertThatThrownBy(() -> reader.read("# nothing\n")).hasMessageContaining("the definition is empty");
        assertThatThrownBy(() -> reader.read("- a\n")).hasMessageContaining("expected a mapping at the top");
        assertThatThrownBy(() -> reader.read("a: 1\n---\nb: 2\n")).hasMessageContaining("single document");
    }

    @Test
    void customTagsAreRefused() {
        assertThatThrownBy(() -> reader.read("a: !secret x\n")).hasMessageContaining("a: unsupported YAML tag !secret");
    }

    @Test
    void oversizeInputIsRefusedBeforeParsing() {
        String big = "a: \"" + "x".repeat(DefinitionLoader.MAX_DEFINITION_BYTES) + "\"\n";
        assertThatThrownBy(() -> reader.read(big)).isInstanceOfSatisfying(DefinitionException.class,
                e -> assertThat(e.problems()).containsExactly(
                        Problem.error("", "the definition is larger than 1048576 bytes")));
    }

    @Test
    void multiByteCharactersCountAsBytes() {
        String big = "a: \"" + "é".repeat(DefinitionLoader.MAX_DEFINITION_BYTES / 2) + "\"\n";
        assertThatThrownBy(() -> reader.read(big)).hasMessageContaining("larger than");
    }

    @Test
    void billionLaughsIsRefused() {
        StringBuilder bomb = new StringBuilder("a0: &a0 [x, x]\n");
        for (int i = 1; i <= 30; i++) {
            bomb.append("a").append(i).append(": &a").append(i).append(" [*a").append(i - 1).append(", *a")
                    .append(i - 1).append("]\n");
        }
        assertThatThrownBy(() -> reader.read(bomb.toString())).isInstanceOf(DefinitionException.class)
                .hasMessageContaining("more than " + YamlReader.MAX_NODES + " nodes");
    }

    @Test
    void tooManyAliasesAreRefused() {
        StringBuilder yaml = new StringBuilder("a: &a [x]\nb:\n");
        for (int i = 0; i <= YamlReader.MAX_ALIASES; i++) {
            yaml.append("  - *a\n");
        }
        assertThatThrownBy(() -> reader.read(yaml.toString())).isInstanceOf(DefinitionException.class)
                .hasMessageContaining("aliases");
    }

    @Test
    void deepNestingIsRefused() {
        String deep = "a: " + "[".repeat(5000) + "]".repeat(5000) + "\n";
        assertThatThrownBy(() -> reader.read(deep)).hasMessageContaining("nesting deeper than " + YamlReader.MAX_DEPTH);
    }

    @Test
    void recursiveAliasIsRefused() {
        assertThatThrownBy(() -> reader.read("a: &a [*a]\n")).isInstanceOf(DefinitionException.class);
    }

    @Test
    void listsKeepOrder() throws DefinitionException {
        assertThat(reader.read("a: [3, b, null]\n").get("a")).isEqualTo(
                java.util.Arrays.asList(new Scalar("3", Scalar.Kind.INT), Scalar.string("b"), null));
    }

    @Test
    void aLargeScalarRepeatedByAliasesIsRefusedForItsExpandedSize() {
        StringBuilder yaml = new StringBuilder("big: &big " + "x".repeat(100_000) + "\nmany:\n");
        for (int i = 0; i < 50; i++) {
            yaml.append("  - *big\n");
        }
        assertThatThrownBy(() -> reader.read(yaml.toString()))
                .isInstanceOfSatisfying(DefinitionTooLargeException.class, e -> assertThat(e.problems()).singleElement()
                        .satisfies(p -> assertThat(p.message()).isEqualTo("the definition expands to more than "
                                + DefinitionLoader.MAX_EXPANDED_CHARS
                                + " characters of values (large values repeated by aliases?)")));
    }

    @Test
    void keysRepeatedByAliasesCountToo() {
        assertThatThrownBy(() -> new YamlReader(1000, 20).read("a: &a {" + "k".repeat(15) + ": 1}\nb: *a\n"))
                .isInstanceOf(DefinitionTooLargeException.class);
    }

    @Test
    void aDefinitionJustUnderTheExpandedBudgetIsRead() throws DefinitionException {
        assertThat(new YamlReader(1000, 8).read("a: &a abc\nb: *a\n")).containsKeys("a", "b");
    }
}
