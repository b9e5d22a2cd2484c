package org.ailtire.definition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class ParametersTest {
    @Test
    void parsesNameValuePairsKeepingEqualsInValues() throws DefinitionException {
        assertThat(Parameters.parse(List.of("TAG=1.2", "EMPTY=", "URL=a=b", "TAG=1.3")))
                .containsExactly(Map.entry("TAG", "1.3"), Map.entry("EMPTY", ""), Map.entry("URL", "a=b"));
    }

    @Test
    void reportsEveryBadEntryByIndex() {
        assertThatThrownBy(() -> Parameters.parse(List.of("OK=1", "NOEQUALS", "1BAD=x", "=x")))
                .isInstanceOfSatisfying(DefinitionException.class, e -> assertThat(e.problems()).containsExactly(
                        Problem.error("parameters[1]", "expected NAME=VALUE, got \"NOEQUALS\""),
                        Problem.error("parameters[2]", "invalid variable name \"1BAD\": must match [A-Za-z_][A-Za-z0-9_]*"),
                        Problem.error("parameters[3]", "invalid variable name \"\": must match [A-Za-z_][A-Za-z0-9_]*")));
    }

    @Test
    void parametersOverrideTheEnvironment() throws DefinitionException {
        assertThat(Parameters.variables(Map.of("TAG", "old", "HOME", "/root"), List.of("TAG=new")))
                .containsOnly(Map.entry("TAG", "new"), Map.entry("HOME", "/root"));
    }
}
