package org.ailtire.gateway;

import io.vertx.core.json.JsonObject;

/** Why a route's target could not answer, as the status and JSON error the gateway sends in its place. */
record TargetFailure(int status, String message) {
    /** 504 when the target timed out, else 503 for a child stack and 502 for a service. */
    static TargetFailure of(Route route, Throwable failure, GatewaySettings settings) {
        int status = timedOut(failure) ? 504 : route.target().childStack() ? 503 : 502;
        String what = switch (status) {
            case 504 -> " did not answer within " + timeoutOf(failure, settings);
            case 503 -> " is unreachable";
            default -> " refused the connection or is down";
        };
        return new TargetFailure(status, "route " + route.name() + " (" + route.path() + "): " + route.target()
                + what + ": " + failure.getMessage());
    }

    JsonObject json(Route route) {
        return errorJson(message, route);
    }

    static JsonObject errorJson(String message, Route route) {
        JsonObject json = new JsonObject().put("error", message);
        if (route != null) {
            json.put("route", route.name()).put("path", route.path());
        }
        return json;
    }

    private static boolean timedOut(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof java.util.concurrent.TimeoutException || t.getClass().getSimpleName().contains("Timeout")) {
                return true;
            }
        }
        return false;
    }

    private static String timeoutOf(Throwable failure, GatewaySettings settings) {
        return failure.getClass().getSimpleName().contains("Connect") ? settings.connectTimeout().toMillis()
                + " ms (connect)" : settings.idleTimeout().toMillis() + " ms";
    }
}
