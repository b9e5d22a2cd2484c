package org.ailtire.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import org.ailtire.stack.Json;
import org.ailtire.stack.Status;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class JsonProblemTest {

    @Test
    void anUnknownEnumValueNamesTheFieldAndTheAllowedValues() {
        var e = parse("{\"type\":\"STACK\",\"name\":\"x\",\"state\":\"EXPLODED\"}");
        assertThat(JsonProblem.describe(e))
                .isEqualTo("state: \"EXPLODED\" is not one of STARTING, RUNNING, UPDATING, STOPPING, STOPPED, FAILED, UNREACHABLE, DRIFTED, COMPLETED");
    }

    @Test
    void aNestedProblemHasItsPathAndNoJavaClassOrSourceLocation() {
        var e = parse("{\"type\":\"STACK\",\"name\":\"x\",\"state\":\"RUNNING\",\"children\":[{\"type\":\"BOX\"}]}");
        assertThat(JsonProblem.describe(e)).startsWith("children[0].type: \"BOX\" is not one of SERVICE, STACK");
    }

    @Test
    void brokenJsonIsTheBodysProblemWithoutTheLocationBlock() {
        var e = parse("{\"type\": ");
        assertThat(JsonProblem.describe(e)).startsWith("body: ").doesNotContain("[Source:").doesNotContain("org.ailtire");
    }

    private static JsonProcessingException parse(String json) {
        return catchThrowableOfType(JsonProcessingException.class, () -> Json.MAPPER.readValue(json, Status.class));
    }
}
