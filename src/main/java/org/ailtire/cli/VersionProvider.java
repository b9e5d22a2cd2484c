package org.ailtire.cli;

import picocli.CommandLine.IVersionProvider;

/** The version from the jar manifest's {@code Implementation-Version}. */
public final class VersionProvider implements IVersionProvider {
    @Override
    public String[] getVersion() {
        return new String[] {"ailtire-swarm " + version()};
    }

    public static String version() {
        String version = Main.class.getPackage().getImplementationVersion();
        return version == null ? "(development build, no jar manifest)" : version;
    }
}
