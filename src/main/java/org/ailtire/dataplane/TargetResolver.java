package org.ailtire.dataplane;

import org.ailtire.gateway.RouteTarget;

/** Where a route's target (a key of this stack, never a host) is now: its servers, or why there are none. */
public interface TargetResolver {
    RouteBackend.Target resolve(RouteTarget target);
}
