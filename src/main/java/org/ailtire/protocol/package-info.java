/**
 * Our own control protocol (REST + Server-Sent Events under {@code /api/v1}), spoken by the CLI, by a child to its
 * parent and by a parent to its children: one client ({@link org.ailtire.protocol.ControlPlaneClient}, its HTTP
 * connections in {@link org.ailtire.protocol.ControlPlaneConnections}), one event-stream reader
 * ({@link org.ailtire.protocol.SseReader}), and the implementations of {@code stack}'s interfaces that go over HTTP
 * ({@link org.ailtire.protocol.HttpParentChannel}, {@link org.ailtire.protocol.HttpChildCommands},
 * {@link org.ailtire.protocol.HttpChildLogs}), wired in {@code controller}.
 *
 * <p>Dependencies go one way: {@code protocol} uses {@code stack}'s model types and interfaces ({@code Status},
 * {@code LogLine}, {@code Registration}, {@code ParentChannel}, {@code ChildCommands}, {@code ChildLogs}); {@code stack}
 * never imports {@code protocol}. {@code cli} and {@code controller} use {@code protocol}; {@code protocol} uses
 * neither (nor {@code api}, the server side).
 */
package org.ailtire.protocol;
