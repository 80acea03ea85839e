import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.onyxrpc.client.RpcClient;
import org.onyxrpc.server.RpcServer;

/**
 * Compiled by Nfs4Test with the Java generated from RFC 5662's XDR, unedited: a COMPOUND of
 * SEQUENCE, PUTROOTFH, GETFH and GETATTR through a generated client and server on loopback.
 */
public final class Nfs4Scenario implements Callable<String> {
  static final byte[] ROOT = "root-handle".getBytes(StandardCharsets.US_ASCII);
  static final byte[] SESSION = new byte[Nfsv41Constants.NFS4_SESSIONID_SIZE];

  /** A tiny server: one file system whose root has a type and a size. */
  static final class Server implements Nfs4ProgramV4.Nfs4Program {
    @Override
    public void nfsproc4Null() {}

    @Override
    public Compound4res nfsproc4Compound(Compound4args args) {
      List<NfsResop4> results = new ArrayList<>();
      byte[] current = null;
      for (NfsArgop4 op : args.argarray()) {
        if (op instanceof NfsArgop4.Opsequence sequence) {
          Sequence4args a = sequence.opsequence();
          results.add(new NfsResop4.Opsequence(new Sequence4res.SrResok4(new Sequence4resok(
              a.saSessionid(), a.saSequenceid(), a.saSlotid(), a.saHighestSlotid(), 63, 0))));
        } else if (op instanceof NfsArgop4.OpPutrootfh) {
          current = ROOT;
          results.add(new NfsResop4.Opputrootfh(new Putrootfh4res(Nfsstat4.NFS4_OK)));
        } else if (op instanceof NfsArgop4.OpGetfh) {
          results.add(new NfsResop4.Opgetfh(new Getfh4res.Resok4(new Getfh4resok(current))));
        } else if (op instanceof NfsArgop4.Opgetattr getattr) {
          // FATTR4_TYPE (1): NF4DIR as an XDR enum.
          int[] mask = getattr.opgetattr().attrRequest();
          byte[] values = {0, 0, 0, (byte) NfsFtype4.NF4_DIR.value()};
          results.add(new NfsResop4.Opgetattr(new Getattr4res.Resok4(new Getattr4resok(
              new Fattr4(mask, values)))));
        } else {
          results.add(new NfsResop4.Opillegal(new Illegal4res(Nfsstat4.NFS4_ERR_OP_ILLEGAL)));
          return new Compound4res(Nfsstat4.NFS4_ERR_OP_ILLEGAL, args.tag(), results);
        }
      }
      return new Compound4res(Nfsstat4.NFS4_OK, args.tag(), results);
    }
  }

  @Override
  public String call() throws Exception {
    try (RpcServer server = RpcServer.builder().port(0).addService(Nfs4ProgramV4.bind(new Server()))
            .build().start();
        RpcClient client = RpcClient.builder().address("localhost", server.port()).build()) {
      Nfs4ProgramV4.Nfs4Program nfs = Nfs4ProgramV4.newClient(client);
      nfs.nfsproc4Null();
      byte[] tag = "onyx".getBytes(StandardCharsets.UTF_8);
      Compound4res reply = nfs.nfsproc4Compound(new Compound4args(tag, 1, List.of(
          new NfsArgop4.Opsequence(new Sequence4args(SESSION, 7, 0, 0, false)),
          new NfsArgop4.OpPutrootfh(),
          new NfsArgop4.OpGetfh(),
          new NfsArgop4.Opgetattr(new Getattr4args(new int[] {1 << Nfsv41Constants.FATTR4_TYPE})))));

      assertEquals(Nfsstat4.NFS4_OK, reply.status());
      assertArrayEquals(tag, reply.tag());
      assertEquals(4, reply.resarray().size());
      Sequence4res.SrResok4 sequence = assertInstanceOf(Sequence4res.SrResok4.class,
          assertInstanceOf(NfsResop4.Opsequence.class, reply.resarray().get(0)).opsequence());
      assertEquals(7, sequence.srResok4().srSequenceid());
      assertEquals(Nfsstat4.NFS4_OK,
          assertInstanceOf(NfsResop4.Opputrootfh.class, reply.resarray().get(1)).opputrootfh().status());
      Getfh4res.Resok4 fh = assertInstanceOf(Getfh4res.Resok4.class,
          assertInstanceOf(NfsResop4.Opgetfh.class, reply.resarray().get(2)).opgetfh());
      assertArrayEquals(ROOT, fh.resok4().object());
      Getattr4res.Resok4 attrs = assertInstanceOf(Getattr4res.Resok4.class,
          assertInstanceOf(NfsResop4.Opgetattr.class, reply.resarray().get(3)).opgetattr());
      assertArrayEquals(new int[] {1 << Nfsv41Constants.FATTR4_TYPE}, attrs.resok4().objAttributes().attrmask());
      assertEquals(NfsFtype4.NF4_DIR.value(), attrs.resok4().objAttributes().attrVals()[3]);

      // An operation this server does not know ends the COMPOUND, as RFC 5661 §15.2 asks.
      Compound4res illegal = nfs.nfsproc4Compound(new Compound4args(tag, 1,
          List.of(new NfsArgop4.OpLookupp())));
      assertEquals(Nfsstat4.NFS4_ERR_OP_ILLEGAL, illegal.status());
      return "ok";
    }
  }
}
