package org.ailtire.swarm.apply;

import com.github.dockerjava.api.model.Service;
import org.ailtire.swarm.Labels;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * The child stacks a new definition drops (services of this stack that run a child's controller and are no longer
 * defined), retired around the removal of their controller services, so no zombie is left:
 * <ol>
 *   <li>{@link #beforeRemoval}: each child is asked to shut down, all at once and each within the bound of its
 *       {@link ChildStackRetirement}; it shuts its own child stacks down first, as a tree's shutdown does. Then
 *       whatever is still labelled at or below its path is removed. For a child that confirmed, that is usually
 *       nothing; for one that could not be asked, it is everything: its services, its history and, since their paths
 *       lie below its own, its own child stacks' controllers, services and objects (nothing asks those to shut
 *       down: their parent is gone, and the labels find all of them).</li>
 *   <li>The apply removes the controller services and the networks and configs it made for them.</li>
 *   <li>{@link #afterRemoval}: the path is swept once more (a controller still running a moment ago may have made
 *       something), what is left is reported, and a child of which nothing is left is forgotten.</li>
 * </ol>
 */
final class DroppedChildStacks {
    private static final Logger LOG = LoggerFactory.getLogger(DroppedChildStacks.class);

    /** A dropped child stack: its key in this stack and its path in the tree (its objects carry it or one below). */
    record Dropped(String key, String path, String controllerService) {
    }

    /** The engine work, kept apart so the order of the steps can be tested without an engine. */
    interface Engine {
        /** Removes every object labelled with {@code path} or a path below it; returns what it removed. */
        List<String> removeSubtree(String path) throws ApplyException;

        /** What is still there of the child: objects at or below its path, and its controller service. */
        List<String> leftOf(Dropped child);
    }

    private final List<Dropped> dropped;
    private final Engine engine;

    DroppedChildStacks(List<Dropped> dropped, Engine engine) {
        this.dropped = List.copyOf(dropped);
        this.engine = engine;
    }

    /** The child stacks' controllers among {@code removed} (services the apply is about to remove). */
    static DroppedChildStacks among(Collection<Service> removed, Engine engine) {
        List<Dropped> children = new ArrayList<>();
        for (Service service : removed) {
            Map<String, String> labels = service.getSpec().getLabels();
            if (labels == null || !Labels.KIND_STACK.equals(labels.get(Labels.KIND))
                    || labels.get(Labels.STACK_PATH) == null || labels.get(Labels.KEY) == null) {
                continue;
            }
            String key = labels.get(Labels.KEY);
            children.add(new Dropped(key, labels.get(Labels.STACK_PATH) + "/" + key, service.getSpec().getName()));
        }
        return new DroppedChildStacks(children, engine);
    }

    List<Dropped> children() {
        return dropped;
    }

    /** Shuts every dropped child down (bottom-up, in parallel, each bounded), then removes what is left below it. */
    void beforeRemoval(ChildStackRetirement retirement, Consumer<ApplyEvent> progress) {
        List<CompletableFuture<ChildStackRetirement.Confirmation>> asked = new ArrayList<>();
        for (Dropped child : dropped) {
            report(progress, new ApplyEvent(ApplyEvent.Phase.SHUTDOWN, subject(child),
                    "shutting down child stack " + child.key() + " (its own child stacks first)"));
            asked.add(ask(retirement, child.key()));
        }
        for (int i = 0; i < dropped.size(); i++) {
            Dropped child = dropped.get(i);
            ChildStackRetirement.Confirmation confirmation = asked.get(i).join();
            report(progress, new ApplyEvent(ApplyEvent.Phase.SHUTDOWN, subject(child), confirmation.confirmed()
                    ? "shut down"
                    : "did not shut down (" + confirmation.why() + "): removing what is labelled at or below "
                    + child.path()));
            try {
                engine.removeSubtree(child.path());
            } catch (ApplyException e) {
                LOG.warn("dropped child stack {}: {}", child.path(), e.getMessage());
            }
        }
    }

    /** Sweeps below every dropped child once its controller is gone, reports what is left, forgets it if nothing. */
    void afterRemoval(ChildStackRetirement retirement, Consumer<ApplyEvent> progress) {
        for (Dropped child : dropped) {
            try {
                engine.removeSubtree(child.path());
            } catch (ApplyException e) {
                LOG.warn("dropped child stack {}: {}", child.path(), e.getMessage());
            }
            List<String> left = engine.leftOf(child);
            if (left.isEmpty()) {
                retirement.removed(child.key());
                report(progress, new ApplyEvent(ApplyEvent.Phase.REMOVE, subject(child),
                        child.key() + ": 0 objects left; unregistered"));
            } else {
                report(progress, new ApplyEvent(ApplyEvent.Phase.REMOVE, subject(child),
                        child.key() + ": " + left.size() + " objects left: " + String.join(", ", left)));
            }
        }
    }

    private static CompletableFuture<ChildStackRetirement.Confirmation> ask(ChildStackRetirement retirement, String key) {
        try {
            return retirement.shutDown(key).exceptionally(e -> new ChildStackRetirement.Confirmation(false,
                    String.valueOf(e.getMessage())));
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(new ChildStackRetirement.Confirmation(false,
                    String.valueOf(e.getMessage())));
        }
    }

    /** Each step is in the controller's log too: a parent restarted for the update has no other witness. */
    private static void report(Consumer<ApplyEvent> progress, ApplyEvent event) {
        LOG.info("{}", event);
        progress.accept(event);
    }

    private static String subject(Dropped child) {
        return "child stack " + child.key();
    }
}
