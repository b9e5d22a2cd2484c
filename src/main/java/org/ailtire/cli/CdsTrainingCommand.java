package org.ailtire.cli;

import org.ailtire.controller.CdsTraining;
import picocli.CommandLine.Command;

import java.util.concurrent.Callable;

/** Used by the image build only: runs the controller's start-up path once so the class-data archive holds it. */
@Command(name = "cds-training", hidden = true, description = "Train the class-data archive (image build only).")
final class CdsTrainingCommand implements Callable<Integer> {
    @Override
    public Integer call() throws Exception {
        CdsTraining.run();
        return Main.OK;
    }
}
