package org.ailtire.stack;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The status document as peers exchange it: what a newer field adds, and what an older peer still reads. */
class StatusJsonTest {
    private static final Instant AT = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void aServiceTellsHowManyTasksRunOnEachNodeAndNothingWhenUnknown() throws Exception {
        Status web = Status.service("web", Status.State.RUNNING, "", AT).onNodes(List.of("worker-1", "worker-2"))
                .placed(List.of(new Status.Placement("worker-1", 2), new Status.Placement("worker-2", 1)));
        JsonNode placed = Json.MAPPER.readTree(Json.MAPPER.writeValueAsString(web));
        assertThat(placed.path("placement").toString())
                .isEqualTo("[{\"node\":\"worker-1\",\"tasks\":2},{\"node\":\"worker-2\",\"tasks\":1}]");
        assertThat(Json.MAPPER.readValue(placed.toString(), Status.class)).isEqualTo(web);

        JsonNode unknown = Json.MAPPER.readTree(Json.MAPPER.writeValueAsString(
                Status.service("db", Status.State.RUNNING, "", AT)));
        assertThat(unknown.has("placement")).as("left out, as older peers sent it").isFalse();
    }

    @Test
    void aDocumentWithoutPlacementOrWithFieldsNotKnownYetIsRead() throws Exception {
        String older = """
                {"type":"SERVICE","name":"web","state":"RUNNING","updatedAt":"2026-01-01T00:00:00Z","nodes":["w1"]}""";
        assertThat(Json.MAPPER.readValue(older, Status.class).placement()).isEmpty();

        String newer = """
                {"type":"SERVICE","name":"web","state":"RUNNING","updatedAt":"2026-01-01T00:00:00Z",
                 "placement":[{"node":"w1","tasks":1,"since":"later"}],"somethingLater":{"x":1}}""";
        assertThat(Json.MAPPER.readValue(newer, Status.class).placement())
                .containsExactly(new Status.Placement("w1", 1));
    }

    @Test
    void aChildsPlacementTravelsUpWithItsReport() {
        ChildRegistry registry = new ChildRegistry(new MutableClock(AT), java.time.Duration.ofSeconds(10), 3);
        registry.register(new Registration("shop", "http://shop:3000", "shop_ctl"));
        Status reported = Status.stack("shop", Status.State.RUNNING, "", null, AT, List.of(
                Status.service("web", Status.State.RUNNING, "", AT).placed(List.of(new Status.Placement("w1", 3)))));

        registry.report("shop", reported);

        assertThat(registry.statuses()).singleElement()
                .satisfies(shop -> assertThat(shop.children().get(0).placement())
                        .containsExactly(new Status.Placement("w1", 3)));
    }
}
