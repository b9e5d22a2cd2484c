package org.ailtire.api;

import com.fasterxml.jackson.databind.JsonNode;
import org.ailtire.gateway.Route;
import org.ailtire.gateway.RouteTarget;
import org.ailtire.stack.Json;
import org.ailtire.stack.Status;
import org.ailtire.stack.TaskRow;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The original sidecar's {@code /_admin/status} document, to the last key, from a fixed status. */
class OriginalStatusTest {
    private static final Instant AT = Instant.parse("2026-12-01T22:00:00Z");

    @Test
    void oneEntryPerTaskInTheOriginalsShapeAndWords() throws Exception {
        List<TaskRow> tasks = List.of(
                new TaskRow("k3x9v2m1q8w7e6r5t4y3", "web", "1", "nginx:1.25@sha256:0123abcd", "node-a", "running",
                        "running", ""),
                new TaskRow("p0o9i8u7y6t5", "web", "2", "nginx:1.25@sha256:0123abcd", "", "preparing", "running",
                        ""),
                new TaskRow("z1x2c3v4b5n6", "agent", "nodeid42", "busybox", "node-b", "failed", "shutdown",
                        "task: non-zero exit (1)"));
        Status backend = Status.stack("backend", Status.State.RUNNING, "", "http://backend:8081", AT,
                List.of(Status.service("db", Status.State.RUNNING, "ready to accept connections", AT)));
        Status gone = Status.stack("search", Status.State.RUNNING, "", "http://search:8081", AT, List.of())
                .unreachable("connect timed out", AT);
        Status status = Status.stack("shop_backend-1", Status.State.RUNNING, "", null, AT, List.of(
                Status.service("web", Status.State.RUNNING, "", AT), backend, gone));
        List<Route> routes = List.of(
                new Route("web", "/shop", RouteTarget.service("web", 80), "/", Route.Protocol.HTTP,
                        Route.Origin.DEFINITION),
                new Route("backend", "/api", RouteTarget.childStack("backend"), "/v1", Route.Protocol.WS,
                        Route.Origin.RUNTIME));

        JsonNode document = Json.MAPPER.valueToTree(OriginalStatus.of("shop_backend-1", routes, tasks, status, 8080));

        assertThat(document).isEqualTo(Json.MAPPER.readTree("""
                {"service": "shop_backend-1",
                 "interfaces": {
                   "/shop": {"target": "http://web:80", "ws": false, "pathRewrite": {"^/shop": "/"},
                             "changeOrigin": true},
                   "/api": {"target": "http://backend:8080", "ws": true, "pathRewrite": {"^/api": "/v1"},
                            "changeOrigin": true}},
                 "services": {
                   "shop_backend-1_web-1": {"name": "shop_backend-1_web.1", "shortName": "web", "image": "nginx:1.25",
                     "node": "node-a", "desired": "Running", "status": "Running",
                     "line": "k3x9v2m1q8w7   shop_backend-1_web.1   nginx:1.25   node-a   Running   Running"},
                   "shop_backend-1_web-2": {"name": "shop_backend-1_web.2", "shortName": "web", "image": "nginx:1.25",
                     "node": "", "desired": "Running", "status": "Preparing",
                     "line": "p0o9i8u7y6t5   shop_backend-1_web.2   nginx:1.25      Running   Preparing"},
                   "shop_backend-1_agent-nodeid42": {"name": "shop_backend-1_agent.nodeid42", "shortName": "agent",
                     "image": "busybox", "node": "node-b", "desired": "Shutdown", "status": "Failed",
                     "line": "z1x2c3v4b5n6   shop_backend-1_agent.nodeid42   busybox   node-b   Shutdown   Failed   task: non-zero exit (1)"},
                   "shop_backend-1_backend-1": {"name": "backend", "shortName": "backend", "type": "stack",
                     "desired": "Running", "status": "Running", "line": "",
                     "services": {"service": "backend", "interfaces": {},
                       "services": {"db": {"name": "db", "shortName": "db", "desired": "Running", "status": "Running",
                                           "line": "ready to accept connections"}}}},
                   "shop_backend-1_search-1": {"name": "search", "shortName": "search", "type": "stack",
                     "desired": "Running", "status": "Network Error", "line": "connect timed out"}}}
                """));
        assertThat(iterate(document.get("services").fieldNames())).containsExactly("shop_backend-1_web-1",
                "shop_backend-1_web-2", "shop_backend-1_agent-nodeid42", "shop_backend-1_backend-1",
                "shop_backend-1_search-1");
    }

    @Test
    void theCliCapitalisesTheEnginesTaskStates() {
        assertThat(OriginalStatus.cliWord("running")).isEqualTo("Running");
        assertThat(OriginalStatus.cliWord("shutdown")).isEqualTo("Shutdown");
        assertThat(OriginalStatus.cliWord("rejected")).isEqualTo("Rejected");
        assertThat(OriginalStatus.cliWord("")).isEmpty();
        assertThat(OriginalStatus.cliWord(Status.State.UPDATING)).isEqualTo("Preparing");
        assertThat(OriginalStatus.cliWord(Status.State.STOPPED)).isEqualTo("Shutdown");
    }

    private static List<String> iterate(java.util.Iterator<String> names) {
        List<String> list = new java.util.ArrayList<>();
        names.forEachRemaining(list::add);
        return list;
    }
}
