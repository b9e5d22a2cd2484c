package org.ailtire.fuzz;

import io.vertx.core.Vertx;
import org.ailtire.api.AdminServer;
import org.ailtire.api.ServerSettings;
import org.ailtire.definition.DefinitionException;
import org.ailtire.definition.DefinitionLoader;
import org.ailtire.definition.LoadedDefinition;
import org.ailtire.gateway.Route;
import org.ailtire.gateway.RouteTable;
import org.ailtire.gateway.StackRoutes;
import org.ailtire.policy.DefinitionPolicy;
import org.ailtire.policy.PolicyCheck;
import org.ailtire.stack.FakeStack;
import org.ailtire.stack.Json;
import org.ailtire.stack.Status;
import org.ailtire.swarm.convert.ConvertOptions;
import org.ailtire.swarm.convert.NetworkingDefaults;
import org.ailtire.swarm.convert.StackConverter;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * A mutation fuzzer (not a test; {@code bench/fuzz/run.sh} runs it): definitions from the corpus and the examples,
 * mutated byte- and token-wise, go through the loader, the definition policy and the converter as a controller runs
 * them, and JSON bodies through the control plane's update, preview, rollback, route, registry and TLS endpoints (on
 * loopback, in front of a fake stack). A clean outcome is a {@link DefinitionException} (a 400) or a converted stack,
 * and from the API any answer below 500. Anything else, an exception of another kind, an answer of 500 or more, no
 * answer, or more than {@value #LIMIT_SECONDS} s for one input, is a finding; each is written to the findings
 * directory with its input.
 *
 * <p>Arguments: seconds to run, findings directory, seed directories...
 */
public final class DefinitionFuzz {
    private static final int LIMIT_SECONDS = 10;
    private static final String TOKEN = "fuzz-token";
    private static final List<String> TOKENS = List.of("&a ", "*a", "<<: *a", "${X}", "${X:-d}", "${X:?e}", "$$", "$",
            "{", "}", "[", "]", "- ", ": ", "\t", "!!binary ", "!!python/object ", "!!map ", "? ", "|", ">-", "'",
            "\"", "\\u0000", "\u0000", "1e999", "-1", "0", "65536", "0x10", "0o17", ".inf", "~", "null", "true",
            "é", "\uD83D\uDE00", "x-ailtire:", "stack: |", "routes:", "path: /", "port: 8000", "external: true",
            "file: ../../etc/passwd", "/var/run/docker.sock:/var/run/docker.sock", "replicas: 99999999999",
            "mode: global", "mode: replicated-job", "cap_add: [ALL]", "host: '*.'", "rate_limit: {requests: 0}",
            "\n", "\n  ", "\n    ", "#", "---\n", "...\n");

    private final Random random;
    private final List<String> seeds;
    private final Path findings;
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread thread = new Thread(r, "fuzz-input");
        thread.setDaemon(true);
        return thread;
    });
    private final Map<String, Integer> outcomes = new TreeMap<>();
    private int runs;
    private int found;

    private DefinitionFuzz(long seed, List<String> seeds, Path findings) {
        this.random = new Random(seed);
        this.seeds = seeds;
        this.findings = findings;
    }

    public static void main(String[] args) throws Exception {
        long seconds = Long.parseLong(args[0]);
        Path findings = Files.createDirectories(Path.of(args[1]));
        List<String> seeds = new ArrayList<>();
        for (int i = 2; i < args.length; i++) {
            try (Stream<Path> files = Files.walk(Path.of(args[i]))) {
                for (Path file : files.filter(f -> f.toString().endsWith(".yml") || f.toString().endsWith(".yaml"))
                        .sorted().toList()) {
                    seeds.add(Files.readString(file));
                }
            }
        }
        long seed = System.nanoTime();
        System.out.println("[fuzz] " + seeds.size() + " seeds, " + seconds + " s, random seed " + seed);
        DefinitionFuzz fuzz = new DefinitionFuzz(seed, seeds, findings);
        fuzz.run(Instant.now().plusSeconds(seconds));
        System.exit(0);
    }

    private void run(Instant until) throws Exception {
        Vertx vertx = Vertx.vertx();
        FakeStack stack = FakeStack.simple("top");
        stack.setService("web", Status.State.RUNNING);
        RouteTable routes = new RouteTable(() -> new StackRoutes(List.<Route>of(), Set.of("web"), Set.of("backend")));
        AdminServer server = new AdminServer(vertx, stack, ServerSettings.of("127.0.0.1", 0, TOKEN), routes);
        String base = "http://127.0.0.1:" + server.start().join();
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        PolicyCheck policy = new PolicyCheck(DefinitionPolicy.DENY, Set.of("ailtire-token"));
        StackConverter converter = new StackConverter(new ConvertOptions("/fuzz",
                new NetworkingDefaults(NetworkingDefaults.EndpointModeSetting.AUTO, false)));
        long apiRuns = 0;
        while (Instant.now().isBefore(until)) {
            String input = mutate(seeds.get(random.nextInt(seeds.size())));
            runs++;
            check("definition", input, () -> definition(input, policy, converter));
            if (runs % 4 == 0) {
                apiRuns++;
                String body = body(input);
                String[] endpoint = ENDPOINTS[random.nextInt(ENDPOINTS.length)];
                check("api " + endpoint[0] + " " + endpoint[1], body, () -> api(http, base, endpoint, body));
            }
            if (runs % 5000 == 0) {
                System.out.println("[fuzz] " + runs + " definitions, " + apiRuns + " API bodies, " + found
                        + " findings");
            }
        }
        server.close();
        vertx.close().toCompletionStage().toCompletableFuture().join();
        System.out.println("[fuzz] done: " + runs + " definitions and " + apiRuns + " API bodies, " + found
                + " findings; outcomes:");
        outcomes.forEach((outcome, count) -> System.out.println("[fuzz]   " + count + "  " + outcome));
        System.out.println("[fuzz] RESULT runs=" + runs + " api=" + apiRuns + " findings=" + found);
    }

    private static final String[][] ENDPOINTS = {
            {"POST", "/api/v1/update/preview"}, {"POST", "/api/v1/update"}, {"POST", "/api/v1/rollback"},
            {"POST", "/api/v1/routes"}, {"POST", "/api/v1/register"}, {"PUT", "/api/v1/tls"},
            {"POST", "/api/v1/children/backend/report"}};

    /** @return the outcome's kind (clean) */
    private String definition(String yaml, PolicyCheck policy, StackConverter converter) throws Exception {
        try {
            LoadedDefinition loaded = new DefinitionLoader(null).withCheck(policy).load(yaml, Map.of("X", "x"));
            converter.convert("fuzz", loaded.definition());
            return "converted";
        } catch (DefinitionException refused) {
            return "refused (400)";
        }
    }

    private String api(HttpClient http, String base, String[] endpoint, String body) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(base + endpoint[1]))
                .timeout(Duration.ofSeconds(LIMIT_SECONDS)).header("Authorization", "Bearer " + TOKEN)
                .header("Content-Type", "application/json")
                .method(endpoint[0], HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() >= 500) {
            throw new IllegalStateException("HTTP " + response.statusCode() + ": " + response.body());
        }
        return "HTTP " + response.statusCode();
    }

    /** A JSON body: the mutated text as a definition, or a JSON document mutated as text. */
    private String body(String input) throws Exception {
        return switch (random.nextInt(4)) {
            case 0 -> Json.MAPPER.writeValueAsString(Map.of("definition", input));
            case 1 -> Json.MAPPER.writeValueAsString(Map.of("definition", input, "environment", Map.of("X", input),
                    "parameters", List.of(input)));
            case 2 -> mutate("{\"name\": \"r\", \"path\": \"/x\", \"service\": \"web\", \"port\": 80, \"version\": 1,"
                    + " \"url\": \"http://backend:8081\", \"certificate\": \"-----BEGIN CERTIFICATE-----\","
                    + " \"key\": \"k\", \"rate_limit\": {\"requests\": 1, \"per\": \"1s\"}, \"status\": {}}");
            default -> mutate(Json.MAPPER.writeValueAsString(Map.of("definition", input)));
        };
    }

    private interface Attempt {
        String run() throws Exception;
    }

    private void check(String target, String input, Attempt attempt) throws Exception {
        Future<String> outcome = worker.submit(attempt::run);
        try {
            String kind = outcome.get(LIMIT_SECONDS, TimeUnit.SECONDS);
            outcomes.merge(target + ": " + kind, 1, Integer::sum);
        } catch (TimeoutException slow) {
            outcome.cancel(true);
            finding(target, "more than " + LIMIT_SECONDS + " s", input);
        } catch (java.util.concurrent.ExecutionException e) {
            Throwable cause = e.getCause();
            finding(target, cause.getClass().getName() + ": " + cause.getMessage(), input);
        }
    }

    private void finding(String target, String what, String input) throws Exception {
        found++;
        String first = what.lines().findFirst().orElse(what).codePoints()
                .map(c -> Character.isISOControl(c) ? '?' : c)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
        outcomes.merge(target + ": FINDING " + (first.length() > 160 ? first.substring(0, 160) : first), 1, Integer::sum);
        Path file = findings.resolve("finding-" + found + ".txt");
        Files.writeString(file, target + "\n" + what + "\n----\n" + input, StandardCharsets.UTF_8);
        System.out.println("[fuzz] FINDING " + found + " (" + target + "): " + first + " -> " + file);
    }

    /** One to four mutations: a byte flipped, a range deleted or doubled, a token put in, another seed spliced. */
    private String mutate(String text) {
        StringBuilder out = new StringBuilder(text);
        int mutations = 1 + random.nextInt(4);
        for (int i = 0; i < mutations; i++) {
            int at = out.isEmpty() ? 0 : random.nextInt(out.length());
            switch (random.nextInt(6)) {
                case 0 -> {
                    if (!out.isEmpty()) {
                        out.setCharAt(at, (char) (out.charAt(at) ^ (1 << random.nextInt(7))));
                    }
                }
                case 1 -> out.delete(at, Math.min(out.length(), at + 1 + random.nextInt(40)));
                case 2 -> {
                    int end = Math.min(out.length(), at + 1 + random.nextInt(200));
                    out.insert(at, out.substring(at, end).repeat(1 + random.nextInt(3)));
                }
                case 3, 4 -> out.insert(at, TOKENS.get(random.nextInt(TOKENS.size())));
                default -> {
                    String other = seeds.get(random.nextInt(seeds.size()));
                    int from = other.isEmpty() ? 0 : random.nextInt(other.length());
                    out.insert(at, other, from, Math.min(other.length(), from + 1 + random.nextInt(300)));
                }
            }
        }
        return out.length() > DefinitionLoader.MAX_DEFINITION_BYTES ? out.substring(0, DefinitionLoader.MAX_DEFINITION_BYTES)
                : out.toString();
    }
}
