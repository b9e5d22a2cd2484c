package org.ailtire.definition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class UnitsTest {
    @ParameterizedTest
    @CsvSource({"1m30s,90000", "10s,10000", "500ms,500", "1h,3600000", "1.5s,1500", "0,0", "1h2m3s4ms,3723004"})
    void goDurations(String text, long millis) {
        assertThat(Units.duration(text)).isEqualTo(Duration.ofMillis(millis));
    }

    @ParameterizedTest
    @CsvSource({"2us,2000", "2µs,2000", "7ns,7"})
    void subMillisecondDurations(String text, long nanos) {
        assertThat(Units.duration(text)).isEqualTo(Duration.ofNanos(nanos));
    }

    @ParameterizedTest
    @CsvSource({"10", "1.5"})
    void plainNumbersNeedAUnit(String text) {
        assertThatThrownBy(() -> Units.duration(text)).hasMessageContaining("a duration needs a unit");
    }

    @ParameterizedTest
    @CsvSource({"ten", "10x", "-5s", "s", "1m 30s"})
    void malformedDurations(String text) {
        assertThatThrownBy(() -> Units.duration(text)).hasMessageContaining("expected a duration");
    }

    @ParameterizedTest
    @CsvSource({"512M,536870912", "1g,1073741824", "1024k,1048576", "100b,100", "100,100", "1.5g,1610612736",
            "2GB,2147483648", "3 MiB,3145728"})
    void byteSizes(String text, long bytes) {
        assertThat(Units.bytes(text)).isEqualTo(bytes);
    }

    @ParameterizedTest
    @CsvSource({"lots", "12q", "-1m", "99999999999p"})
    void invalidByteSizes(String text) {
        assertThatThrownBy(() -> Units.bytes(text)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(text);
    }

    @ParameterizedTest
    @CsvSource({"0.5,500000000", "2,2000000000", "0.001,1000000", "0,0"})
    void cpus(String text, long nanoCpus) {
        assertThat(Units.nanoCpus(text)).isEqualTo(nanoCpus);
    }

    @ParameterizedTest
    @CsvSource({"half,expected a number of CPUs", "-1,must not be negative", "0.0000000001,multiple of 0.000000001"})
    void invalidCpus(String text, String reason) {
        assertThatThrownBy(() -> Units.nanoCpus(text)).hasMessageContaining(reason);
    }
}
