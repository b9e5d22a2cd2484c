package org.ailtire.stack;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What the operator changed on services without changing the definition: a service scaled to a number of replicas,
 * a service redeployed (its tasks replaced even when nothing else changed, like {@code docker service update
 * --force}). They are kept with the version in the history, so a rollback puts them back too; an update with a new
 * definition starts without them, as {@code docker stack deploy} resets what {@code docker service scale} did.
 *
 * @param replicas  service key to the replicas it was scaled to
 * @param redeploys service key to how many times it was redeployed (the engine's {@code ForceUpdate} counter)
 */
public record ServiceOverrides(Map<String, Integer> replicas, Map<String, Integer> redeploys) {
    public static final ServiceOverrides NONE = new ServiceOverrides(Map.of(), Map.of());
    /** More replicas than this is taken for a typing error, not a plan. */
    public static final int MAX_REPLICAS = 1000;

    public ServiceOverrides {
        replicas = replicas == null ? Map.of() : Map.copyOf(new TreeMap<>(replicas));
        redeploys = redeploys == null ? Map.of() : Map.copyOf(new TreeMap<>(redeploys));
        replicas.forEach((service, count) -> {
            Objects.requireNonNull(count, service);
            if (count < 0 || count > MAX_REPLICAS) {
                throw new IllegalArgumentException("replicas of " + service + ": expected 0 to " + MAX_REPLICAS
                        + ", got " + count);
            }
        });
    }

    /** The same, with {@code service} scaled to {@code count}. */
    public ServiceOverrides scaled(String service, int count) {
        Map<String, Integer> now = new TreeMap<>(replicas);
        now.put(service, count);
        return new ServiceOverrides(now, redeploys);
    }

    /** The same, with {@code service} redeployed once more. */
    public ServiceOverrides redeployed(String service) {
        Map<String, Integer> now = new TreeMap<>(redeploys);
        now.merge(service, 1, Integer::sum);
        return new ServiceOverrides(replicas, now);
    }

    public boolean isEmpty() {
        return replicas.isEmpty() && redeploys.isEmpty();
    }
}
