package org.ailtire.protocol;

import org.ailtire.stack.ParentChannel;
import org.ailtire.stack.Registration;
import org.ailtire.stack.Status;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;

/** A child stack's way to its parent's controller: {@code POST /api/v1/register} and {@code .../report}. */
public final class HttpParentChannel implements ParentChannel {
    private final ControlPlaneConnections connections =
            new ControlPlaneConnections(null, Duration.ofSeconds(5), Duration.ofSeconds(10));
    private final ControlPlaneClient parent;

    /**
     * @param parent the parent controller's base URL, e.g. {@code http://parent:3000}
     * @param token  this stack's token, which its parent derived for it
     */
    public HttpParentChannel(URI parent, String token) {
        this.parent = connections.to(parent, token);
    }

    @Override
    public Answer register(Registration self) {
        return answer(() -> parent.register(self));
    }

    @Override
    public Answer report(String self, Status status) {
        return answer(() -> parent.report(self, status));
    }

    private interface Call {
        void send() throws IOException, InterruptedException;
    }

    private static Answer answer(Call call) {
        try {
            call.send();
            return new Answer(200, "");
        } catch (ControlPlaneException refused) {
            String why = refused.error();
            return new Answer(refused.status(), why.length() > 500 ? why.substring(0, 500) : why);
        } catch (IOException unreachable) {
            return Answer.UNREACHABLE;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Answer.UNREACHABLE;
        }
    }

    @Override
    public void close() {
        connections.close();
    }

    @Override
    public String toString() {
        return parent.base().toString();
    }
}
