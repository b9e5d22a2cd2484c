package org.ailtire.controller;

/**
 * A definition an original ailtire parent deploys with our controller as its child stack, as the original's templates
 * make one: our controller in compatibility mode with the original's variables, named {@code
 * {{.Service.Name}}-{{.Task.Slot}}}, its parent host interpolated from the parent's environment, on the external
 * parent network, stopped with SIGINT and a minute's grace; its own definition is the file {@code ./<key>.yml} next
 * to this one (a config at /app/docker-compose.yml).
 */
final class OriginalChildDefinition {
    private static final String TEMPLATE = """
            version: "3.8"
            services:
              %1$s:
                image: %2$s
                command: ["serve"]
                environment:
                  AILTIRE_COMPATIBILITY: original
                  AILTIRE_APPNAME: ${AILTIRE_APPNAME}
                  AILTIRE_STACKNAME: "{{.Service.Name}}-{{.Task.Slot}}"
                  AILTIRE_PARENTHOST: ${AILTIRE_PARENTHOST}
                  AILTIRE_PARENTPORT: "3000"
                  AILTIRE_STACKADMINPORT: "3000"
                  AILTIRE_SERVICENAME: %1$s
                  AILTIRE_PARENT_NETWORK: ${AILTIRE_PARENT_NETWORK}
                volumes:
                  - /var/run/docker.sock:/var/run/docker.sock
                configs:
                  - source: %1$s_definition
                    target: /app/docker-compose.yml
                networks: [parent]
                stop_signal: SIGINT
                stop_grace_period: 1m
                deploy:
                  endpoint_mode: dnsrr
                  restart_policy:
                    condition: none
                  placement:
                    constraints: [node.role == manager]
            networks:
              parent:
                external: true
                name: ${AILTIRE_PARENT_NETWORK}
            configs:
              %1$s_definition:
                file: ./%1$s.yml
            """;

    private OriginalChildDefinition() {
    }

    /** The definition with our controller (image {@code image}) as the service {@code key}. */
    static String withOurController(String key, String image) {
        return TEMPLATE.formatted(key, image);
    }
}
