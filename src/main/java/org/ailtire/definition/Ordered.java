package org.ailtire.definition;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Unmodifiable copies that keep the file's order and turn null into empty. */
final class Ordered {
    private Ordered() {
    }

    static <K, V> Map<K, V> map(Map<K, V> source) {
        return source == null || source.isEmpty() ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(source));
    }

    static <T> List<T> list(List<T> source) {
        return source == null || source.isEmpty() ? List.of() : Collections.unmodifiableList(new java.util.ArrayList<>(source));
    }
}
