package org.ailtire.definition;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class InterpolationTest {
    private final Problems problems = new Problems();
    private final Interpolation interpolation = new Interpolation(
            Map.of("NAME", "web", "EMPTY", "", "TAG", "1.2"), problems);

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '\'', value = {
            "plain text|plain text",
            "$NAME|web",
            "${NAME}|web",
            "img:${TAG}-x|img:1.2-x",
            "$NAME.example|web.example",
            "${UNSET:-fallback}|fallback",
            "${EMPTY:-fallback}|fallback",
            "${NAME:-fallback}|web",
            "${UNSET-fallback}|fallback",
            "${EMPTY-fallback}|''",
            "${NAME:+alt}|alt",
            "${EMPTY:+alt}|''",
            "${EMPTY+alt}|alt",
            "${UNSET+alt}|''",
            "${NAME:?needed}|web",
            "${EMPTY?needed}|''",
            "$$NAME|$NAME",
            "a$$|a$",
            "${UNSET:-${NAME}-x}|web-x",
            "${UNSET:-{a}}|{a}",
    })
    void interpolates(String text, String expected) {
        assertThat(interpolation.interpolate(text, "p")).isEqualTo(expected == null ? "" : expected);
        assertThat(problems.hasErrors()).isFalse();
        assertThat(problems.warnings()).isEmpty();
    }

    @Test
    void unsetVariableWithoutDefaultIsEmptyWithAWarningNamingItAndThePath() {
        assertThat(interpolation.interpolate("x${MISSING}y$OTHER", "services.web.image")).isEqualTo("xy");
        assertThat(problems.warnings()).containsExactly(
                Problem.warning("services.web.image", "variable MISSING is not set, using an empty string"),
                Problem.warning("services.web.image", "variable OTHER is not set, using an empty string"));
    }

    @Test
    void requiredVariableMissingIsAnErrorWithTheMessage() {
        assertThat(interpolation.interpolate("${MISSING:?set it to the image tag}", "services.web.image")).isNull();
        assertThat(interpolation.interpolate("${EMPTY:?}", "a.b")).isNull();
        assertThat(interpolation.interpolate("${MISSING?no $NAME}", "a.c")).isNull();
        assertThat(errors()).containsExactly(
                Problem.error("services.web.image", "required variable MISSING is missing a value: set it to the image tag"),
                Problem.error("a.b", "required variable EMPTY is missing a value"),
                Problem.error("a.c", "required variable MISSING is missing a value: no web"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "${NAME|\"${\" without a closing \"}\"",
            "${}|expected a variable name",
            "${1A}|expected a variable name",
            "${NAME!x}|expected \"}\", \":-\", \"-\", \":?\", \"?\", \":+\" or \"+\" after the name",
            "cost 5$|\"$\" must be followed by a name",
            "$ x|\"$\" must be followed by a name",
    })
    void malformedInterpolationIsAnErrorNamingThePath(String text, String reason) {
        assertThat(interpolation.interpolate(text, "services.web.command")).isNull();
        assertThat(errors()).singleElement().satisfies(p -> {
            assertThat(p.path()).isEqualTo("services.web.command");
            assertThat(p.message()).contains(reason);
        });
    }

    @Test
    void appliesToStringScalarsOfATreeButNotToKeys() {
        Map<String, Object> tree = new java.util.LinkedHashMap<>();
        tree.put("$NAME", Scalar.string("$NAME"));
        tree.put("list", new java.util.ArrayList<>(List.of(Scalar.string("${TAG}"), new Scalar("12", Scalar.Kind.INT))));
        interpolation.applyTo(tree, "");
        assertThat(tree).containsExactly(Map.entry("$NAME", Scalar.string("web")),
                Map.entry("list", List.of(Scalar.string("1.2"), new Scalar("12", Scalar.Kind.INT))));
    }

    @Test
    void treeErrorsNameTheFullPath() {
        Map<String, Object> tree = new java.util.LinkedHashMap<>();
        tree.put("services", new java.util.LinkedHashMap<>(Map.of("web", new java.util.ArrayList<>(List.of(Scalar.string("${X:?gone}"))))));
        interpolation.applyTo(tree, "");
        assertThat(errors()).containsExactly(Problem.error("services.web[0]", "required variable X is missing a value: gone"));
    }

    private List<Problem> errors() {
        try {
            problems.throwIfErrors();
            return List.of();
        } catch (DefinitionException e) {
            return e.problems();
        }
    }

    @Test
    void aLargeVariableUsedManyTimesIsRefusedBeforeItIsBuilt() {
        Map<String, Object> tree = new java.util.LinkedHashMap<>(Map.of("value", Scalar.string("$A".repeat(200_000))));
        Interpolation bounded = new Interpolation(Map.of("A", "x".repeat(400_000)), new Problems(), 1_000_000);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> bounded.applyToDefinition(tree))
                .isInstanceOfSatisfying(DefinitionTooLargeException.class, e -> assertThat(e.problems()).singleElement()
                        .satisfies(p -> assertThat(p.toString()).isEqualTo(
                                "value: interpolation produces more than 1000000 characters"
                                        + " (a large variable used many times?)")));
    }

    @Test
    void nestedDefaultsCountAgainstTheSameBudget() {
        Map<String, Object> tree = new java.util.LinkedHashMap<>(Map.of("v", Scalar.string("${UNSET:-$A$A$A}")));
        Interpolation bounded = new Interpolation(Map.of("A", "x".repeat(10)), new Problems(), 25);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> bounded.applyToDefinition(tree))
                .isInstanceOf(DefinitionTooLargeException.class);
    }

    @Test
    void interpolationWithinTheBudgetIsApplied() throws DefinitionTooLargeException {
        Map<String, Object> tree = new java.util.LinkedHashMap<>(Map.of("v", Scalar.string("$A-$A")));
        new Interpolation(Map.of("A", "xy"), new Problems(), 5).applyToDefinition(tree);
        assertThat(tree.get("v")).isEqualTo(Scalar.string("xy-xy"));
    }
}
