package org.ailtire.gateway;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.dns.AddressResolverOptions;
import io.vertx.core.internal.resolver.NameResolver;
import io.vertx.core.net.SocketAddress;

import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The addresses the gateway connects to, resolved by the gateway itself: Vert.x 5.1's client, given a host name (or
 * an address still carrying one), pools connections by that name and kept connecting to the first address it had
 * resolved, a replaced task's, for as long as traffic went on (found by LoadIT). Given addresses, each task gets its
 * own pool. A name's addresses (one per task with dnsrr) are taken in turn and kept for {@code keep} at most, so a
 * rolled service's new tasks are reached that soon; an old task leaves DNS before its stop grace period, while it
 * still serves. Kept here rather than asked of the resolver on every request, which measured as half the gateway's
 * throughput.
 */
final class TargetAddresses implements AutoCloseable {
    private final NameResolver names;
    private final long keepNanos;
    private final Map<TargetResolver.Address, Resolved> known = new ConcurrentHashMap<>();

    private record Resolved(List<SocketAddress> addresses, long until, AtomicInteger next) {
        SocketAddress pick() {
            return addresses.get(Math.floorMod(next.getAndIncrement(), addresses.size()));
        }
    }

    TargetAddresses(Vertx vertx, Duration keep) {
        this.names = new NameResolver(vertx, new AddressResolverOptions()
                .setCacheMaxTimeToLive(0)
                .setCacheNegativeTimeToLive(0));
        this.keepNanos = keep.toNanos();
    }

    /** One of the target's addresses, in turn. */
    Future<SocketAddress> of(TargetResolver.Address target) {
        long now = System.nanoTime();
        Resolved resolved = known.get(target);
        if (resolved != null && now - resolved.until() < 0) {
            return Future.succeededFuture(resolved.pick());
        }
        return names.resolveAll(target.host()).compose(all -> {
            List<SocketAddress> addresses = all.stream().map(a -> a.getAddress().getHostAddress()).distinct()
                    .map(ip -> SocketAddress.inetSocketAddress(target.port(), ip)).toList();
            if (addresses.isEmpty()) {
                return Future.failedFuture(new UnknownHostException(target.host()));
            }
            Resolved fresh = new Resolved(addresses, now + keepNanos, new AtomicInteger());
            known.put(target, fresh);
            return Future.succeededFuture(fresh.pick());
        });
    }

    @Override
    public void close() {
        known.clear();
        names.close();
    }
}
