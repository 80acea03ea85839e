package org.onyxrpc.cli.command;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.onyxrpc.cli.Onyx;
import picocli.CommandLine;

/** One run of the {@code onyx} command in this JVM: its exit code and what it printed. */
record CommandRun(int exit, String out, String err) {

  static CommandRun onyx(String... args) {
    CommandLine cl = Onyx.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    int exit = cl.execute(args);
    return new CommandRun(exit, out.toString(), err.toString());
  }
}
