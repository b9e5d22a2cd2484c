package org.ailtire.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;

/**
 * Registers N fake child stacks with a controller and keeps reporting a small status tree for each (the report is
 * also the heartbeat), every 2 s, for at most maxSeconds. The children's URLs are unroutable names: the parent only
 * reads what they report. Prints "ready" once all are registered and have reported.
 *
 * <p>Args: url token count maxSeconds.
 */
public final class FakeChildren {
    public static void main(String[] args) throws Exception {
        String url = args[0];
        String token = args[1];
        int count = Integer.parseInt(args[2]);
        long deadline = System.nanoTime() + Long.parseLong(args[3]) * 1_000_000_000L;
        HttpClient client = HttpClient.newHttpClient();
        for (int i = 0; i < count; i++) {
            String name = child(i);
            post(client, url + "/api/v1/register", token, "{\"name\":\"" + name + "\",\"url\":\"http://" + name
                    + ".invalid:8080\",\"service\":\"" + name + "\"}", 200);
        }
        boolean first = true;
        while (System.nanoTime() < deadline) {
            long round = System.nanoTime();
            for (int i = 0; i < count; i++) {
                post(client, url + "/api/v1/children/" + child(i) + "/report", token, report(child(i)), 204);
            }
            if (first) {
                System.out.println("ready");
                System.out.flush();
                first = false;
            }
            long sleep = 2000 - (System.nanoTime() - round) / 1_000_000;
            if (sleep > 0) {
                Thread.sleep(sleep);
            }
        }
    }

    private static String child(int i) {
        return String.format("child%03d", i);
    }

    private static String report(String name) {
        String now = Instant.now().toString();
        return "{\"type\":\"STACK\",\"name\":\"" + name + "\",\"state\":\"RUNNING\",\"message\":\"\","
                + "\"aggregate\":\"HEALTHY\",\"updatedAt\":\"" + now + "\",\"children\":["
                + "{\"type\":\"SERVICE\",\"name\":\"api\",\"state\":\"RUNNING\",\"message\":\"api tick\",\"updatedAt\":\"" + now + "\"},"
                + "{\"type\":\"SERVICE\",\"name\":\"worker\",\"state\":\"RUNNING\",\"message\":\"\",\"updatedAt\":\"" + now + "\"}]}";
    }

    private static void post(HttpClient client, String url, String token, String body, int expected) throws Exception {
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != expected) {
            throw new IllegalStateException("POST " + url + " answered " + response.statusCode() + ": " + response.body());
        }
    }
}
