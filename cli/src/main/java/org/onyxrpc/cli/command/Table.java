package org.onyxrpc.cli.command;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import org.onyxrpc.internal.RateLimitedLog;

/**
 * Columns as wide as their widest cell; the first is right-aligned (numbers), the others left.
 * Cells are what a directory holds, which its registrants chose (a name, a Unix socket's path,
 * any bytes through a plain rpcbind), so each prints with its control characters escaped: one
 * row is one line, and no cell moves the cursor or colours the terminal.
 */
final class Table {
  private final List<String[]> rows = new ArrayList<>();

  Table(String... header) {
    rows.add(header);
  }

  void add(String... cells) {
    String[] safe = new String[cells.length];
    for (int i = 0; i < cells.length; i++) {
      safe[i] = RateLimitedLog.escaped(cells[i]);
    }
    rows.add(safe);
  }

  void print(PrintWriter out) {
    int[] widths = new int[rows.get(0).length];
    for (String[] row : rows) {
      for (int i = 0; i < row.length; i++) {
        widths[i] = Math.max(widths[i], row[i].length());
      }
    }
    for (String[] row : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < row.length; i++) {
        String cell = row[i];
        String pad = " ".repeat(widths[i] - cell.length());
        line.append(i == 0 ? pad + cell : cell + (i == row.length - 1 ? "" : pad));
        if (i < row.length - 1) {
          line.append("  ");
        }
      }
      out.println(line);
    }
  }
}
