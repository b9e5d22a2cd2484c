package org.ailtire.swarm.logs;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class LogMessageTest {
    @Test
    void parsesTimestampDetailsAndText() {
        var message = LogMessage.parse(bytes("2026-11-25T20:35:06.354182392Z com.docker.swarm.node.id=n1,"
                + "com.docker.swarm.service.id=s1,com.docker.swarm.task.id=t1 hello world\n")).orElseThrow();

        assertThat(message.timestamp()).isEqualTo(Instant.parse("2026-11-25T20:35:06.354182392Z"));
        assertThat(message.details()).containsExactly(Map.entry("com.docker.swarm.node.id", "n1"),
                Map.entry("com.docker.swarm.service.id", "s1"), Map.entry("com.docker.swarm.task.id", "t1"));
        assertThat(message.taskId()).isEqualTo("t1");
        assertThat(new String(message.content(), StandardCharsets.UTF_8)).isEqualTo("hello world");
        assertThat(message.endsLine()).isTrue();
    }

    @Test
    void aPartialMessageHasNoLineBreak() {
        var message = LogMessage.parse(bytes("2026-11-25T20:35:06Z com.docker.swarm.task.id=t xxx")).orElseThrow();

        assertThat(new String(message.content(), StandardCharsets.UTF_8)).isEqualTo("xxx");
        assertThat(message.endsLine()).isFalse();
    }

    @Test
    void detailValuesAreUrlDecoded() {
        assertThat(LogMessage.parseDetails("my.label=a%2Cb%3Dc+d,k=")).hasValue(Map.of("my.label", "a,b=c d", "k", ""));
    }

    @Test
    void withoutADetailFieldTheTextFollowsTheTimestamp() {
        var message = LogMessage.parse(bytes("2026-11-25T20:35:06.1Z text with  spaces\n")).orElseThrow();

        assertThat(message.details()).isEmpty();
        assertThat(message.taskId()).isNull();
        assertThat(new String(message.content(), StandardCharsets.UTF_8)).isEqualTo("text with  spaces");
    }

    @Test
    void aFirstWordThatLooksLikeKeyValuesIsTextUnlessItHoldsSwarmKeys() {
        var message = LogMessage.parse(bytes("2026-11-25T20:35:06Z a=b,c=d rest\n")).orElseThrow();

        assertThat(message.details()).isEmpty();
        assertThat(new String(message.content(), StandardCharsets.UTF_8)).isEqualTo("a=b,c=d rest");
    }

    @Test
    void anEmptyLineKeepsItsPrefix() {
        var message = LogMessage.parse(bytes("2026-11-25T20:35:06Z com.docker.swarm.task.id=t1 \n")).orElseThrow();

        assertThat(message.content()).isEmpty();
        assertThat(message.endsLine()).isTrue();
    }

    @Test
    void textWithoutPrefixIsNoMessageStart() {
        assertThat(LogMessage.parse(bytes("just some text\n"))).isEmpty();
        assertThat(LogMessage.parse(bytes(""))).isEmpty();
    }

    @Test
    void parsesTimestampsAsTheEngineWritesThem() {
        assertThat(LogMessage.parseTimestamp("2026-11-25T20:35:06.000000001Z"))
                .hasValue(Instant.parse("2026-11-25T20:35:06.000000001Z"));
        assertThat(LogMessage.parseTimestamp("2026-11-25T20:35:06Z")).hasValue(Instant.parse("2026-11-25T20:35:06Z"));
        assertThat(LogMessage.parseTimestamp("2026-11-25T21:35:06+01:00")).hasValue(Instant.parse("2026-11-25T20:35:06Z"));
        assertThat(LogMessage.parseTimestamp("2026-11-25 20:35:06Z")).isEmpty();
        assertThat(LogMessage.parseTimestamp("2026-13-25T20:35:06Z")).isEmpty();
        assertThat(LogMessage.parseTimestamp("hello")).isEmpty();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
