package org.ailtire.definition;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** Update parameters ({@code NAME=VALUE}) and the interpolation variables they make with the environment. */
public final class Parameters {
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private Parameters() {
    }

    /** Parses {@code NAME=VALUE} strings (the value may be empty or hold "="); the last of a repeated name wins. */
    public static Map<String, String> parse(List<String> parameters) throws DefinitionException {
        Map<String, String> parsed = new LinkedHashMap<>();
        List<Problem> problems = new ArrayList<>();
        for (int i = 0; i < parameters.size(); i++) {
            String parameter = parameters.get(i);
            String path = "parameters[" + i + "]";
            int equals = parameter == null ? -1 : parameter.indexOf('=');
            if (equals < 0) {
                problems.add(Problem.error(path, "expected NAME=VALUE, got " + (parameter == null ? "null" : "\"" + parameter + "\"")));
                continue;
            }
            String name = parameter.substring(0, equals);
            if (!NAME.matcher(name).matches()) {
                problems.add(Problem.error(path, "invalid variable name \"" + name + "\": must match " + NAME.pattern()));
                continue;
            }
            parsed.put(name, parameter.substring(equals + 1));
        }
        if (!problems.isEmpty()) {
            throw new DefinitionException(problems);
        }
        return parsed;
    }

    /** The interpolation variables: the environment, overridden by the parameters. */
    public static Map<String, String> variables(Map<String, String> environment, List<String> parameters)
            throws DefinitionException {
        Map<String, String> variables = new LinkedHashMap<>(environment);
        variables.putAll(parse(parameters));
        return variables;
    }
}
