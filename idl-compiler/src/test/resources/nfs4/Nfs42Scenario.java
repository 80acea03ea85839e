import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentSkipListMap;
import org.onyxrpc.client.RpcClient;
import org.onyxrpc.server.RpcServer;

/**
 * Compiled by Nfs4Test with the Java generated from RFC 7863's XDR, unedited: COMPOUNDs of
 * SEQUENCE, PUTFH and the NFSv4.2 operations ALLOCATE, SEEK and READ_PLUS (whose result is an
 * array of data and hole arms) through a generated client and server on loopback.
 */
public final class Nfs42Scenario implements Callable<String> {
  static final byte[] FILE = "sparse-file".getBytes(StandardCharsets.US_ASCII);
  static final byte[] SESSION = new byte[Nfsv42Constants.NFS4_SESSIONID_SIZE];
  static final Stateid4 ANONYMOUS = new Stateid4(0, new byte[Nfsv42Constants.NFS4_OTHER_SIZE]);
  static final long SIZE = 8192;

  /** A tiny server holding one sparse file: extents of data by offset, holes between them. */
  static final class Server implements Nfs4ProgramV4.Nfs4Program {
    private final NavigableMap<Long, byte[]> extents = new ConcurrentSkipListMap<>(
        Map.of(0L, "onyx".getBytes(StandardCharsets.US_ASCII)));

    @Override
    public void nfsproc4Null() {}

    @Override
    public Compound4res nfsproc4Compound(Compound4args args) {
      List<NfsResop4> results = new ArrayList<>();
      for (NfsArgop4 op : args.argarray()) {
        Nfsstat4 status = Nfsstat4.NFS4_OK;
        NfsResop4 result;
        if (op instanceof NfsArgop4.Opsequence sequence) {
          Sequence4args a = sequence.opsequence();
          result = new NfsResop4.Opsequence(new Sequence4res.SrResok4(new Sequence4resok(
              a.saSessionid(), a.saSequenceid(), a.saSlotid(), a.saHighestSlotid(), 63, 0)));
        } else if (op instanceof NfsArgop4.Opputfh putfh) {
          status = Arrays.equals(putfh.opputfh().object(), FILE) ? Nfsstat4.NFS4_OK : Nfsstat4.NFS4_ERR_BADHANDLE;
          result = new NfsResop4.Opputfh(new Putfh4res(status));
        } else if (op instanceof NfsArgop4.Opallocate allocate) {
          Allocate4args a = allocate.opallocate();
          // Allocated space reads as zeros: it is data, no longer a hole.
          extents.put(a.aaOffset(), new byte[Math.toIntExact(a.aaLength())]);
          result = new NfsResop4.Opallocate(new Allocate4res(status));
        } else if (op instanceof NfsArgop4.Opseek seek) {
          Seek4args a = seek.opseek();
          if (a.saOffset() >= SIZE) {
            status = Nfsstat4.NFS4_ERR_NXIO;
            result = new NfsResop4.Opseek(new Seek4res.Default(status));
          } else {
            long found = a.saWhat() == DataContent4.NFS4_CONTENT_DATA
                ? nextData(a.saOffset()) : nextHole(a.saOffset());
            result = new NfsResop4.Opseek(new Seek4res.Resok4(new SeekRes4(found == SIZE, found)));
          }
        } else if (op instanceof NfsArgop4.OpreadPlus read) {
          ReadPlus4args a = read.opreadPlus();
          long end = Math.min(SIZE, a.rpaOffset() + Integer.toUnsignedLong(a.rpaCount()));
          result = new NfsResop4.OpreadPlus(new ReadPlus4res.RpResok4(
              new ReadPlusRes4(end == SIZE, contents(a.rpaOffset(), end))));
        } else {
          status = Nfsstat4.NFS4_ERR_OP_ILLEGAL;
          result = new NfsResop4.Opillegal(new Illegal4res(status));
        }
        results.add(result);
        if (status != Nfsstat4.NFS4_OK) {
          return new Compound4res(status, args.tag(), results); // RFC 5661 §15.2: stop at an error
        }
      }
      return new Compound4res(Nfsstat4.NFS4_OK, args.tag(), results);
    }

    /** The first data at or after {@code offset}, or the file size if there is none. */
    private long nextData(long offset) {
      for (Map.Entry<Long, byte[]> e : extents.entrySet()) {
        if (e.getKey() + e.getValue().length > offset) {
          return Math.max(offset, e.getKey());
        }
      }
      return SIZE;
    }

    /** The first hole at or after {@code offset}; the end of the file counts as one. */
    private long nextHole(long offset) {
      long at = offset;
      for (Map.Entry<Long, byte[]> e : extents.entrySet()) {
        if (e.getKey() <= at && at < e.getKey() + e.getValue().length) {
          at = e.getKey() + e.getValue().length;
        }
      }
      return at;
    }

    /** The data and holes covering [from, to), in order, as READ_PLUS returns them. */
    private List<ReadPlusContent> contents(long from, long to) {
      List<ReadPlusContent> out = new ArrayList<>();
      long at = from;
      for (Map.Entry<Long, byte[]> e : extents.entrySet()) {
        long start = Math.max(at, e.getKey());
        long stop = Math.min(to, e.getKey() + e.getValue().length);
        if (stop <= start) {
          continue;
        }
        if (start > at) {
          out.add(new ReadPlusContent.RpcHole(new DataInfo4(at, start - at)));
        }
        byte[] data = Arrays.copyOfRange(e.getValue(),
            Math.toIntExact(start - e.getKey()), Math.toIntExact(stop - e.getKey()));
        out.add(new ReadPlusContent.RpcData(new Data4(start, data)));
        at = stop;
      }
      if (at < to) {
        out.add(new ReadPlusContent.RpcHole(new DataInfo4(at, to - at)));
      }
      return out;
    }
  }

  @Override
  public String call() throws Exception {
    try (RpcServer server = RpcServer.builder().port(0).addService(Nfs4ProgramV4.bind(new Server()))
            .build().start();
        RpcClient client = RpcClient.builder().address("localhost", server.port()).build()) {
      Nfs4ProgramV4.Nfs4Program nfs = Nfs4ProgramV4.newClient(client);
      byte[] tag = "onyx-4.2".getBytes(StandardCharsets.UTF_8);
      Compound4res reply = nfs.nfsproc4Compound(new Compound4args(tag, 2, List.of(
          new NfsArgop4.Opsequence(new Sequence4args(SESSION, 1, 0, 0, false)),
          new NfsArgop4.Opputfh(new Putfh4args(FILE)),
          new NfsArgop4.Opallocate(new Allocate4args(ANONYMOUS, 4096, 4)),
          new NfsArgop4.Opseek(new Seek4args(ANONYMOUS, 4, DataContent4.NFS4_CONTENT_DATA)),
          new NfsArgop4.Opseek(new Seek4args(ANONYMOUS, 0, DataContent4.NFS4_CONTENT_HOLE)),
          new NfsArgop4.OpreadPlus(new ReadPlus4args(ANONYMOUS, 0, (int) SIZE)))));

      assertEquals(Nfsstat4.NFS4_OK, reply.status());
      assertArrayEquals(tag, reply.tag());
      assertEquals(6, reply.resarray().size());
      Sequence4res.SrResok4 sequence = assertInstanceOf(Sequence4res.SrResok4.class,
          assertInstanceOf(NfsResop4.Opsequence.class, reply.resarray().get(0)).opsequence());
      assertEquals(1, sequence.srResok4().srSequenceid());
      assertEquals(Nfsstat4.NFS4_OK,
          assertInstanceOf(NfsResop4.Opputfh.class, reply.resarray().get(1)).opputfh().status());
      assertEquals(Nfsstat4.NFS4_OK,
          assertInstanceOf(NfsResop4.Opallocate.class, reply.resarray().get(2)).opallocate().arStatus());
      SeekRes4 data = assertInstanceOf(Seek4res.Resok4.class,
          assertInstanceOf(NfsResop4.Opseek.class, reply.resarray().get(3)).opseek()).resok4();
      assertEquals(new SeekRes4(false, 4096), data, "the next data after the first extent is the allocated one");
      SeekRes4 hole = assertInstanceOf(Seek4res.Resok4.class,
          assertInstanceOf(NfsResop4.Opseek.class, reply.resarray().get(4)).opseek()).resok4();
      assertEquals(new SeekRes4(false, 4), hole);

      ReadPlusRes4 read = assertInstanceOf(ReadPlus4res.RpResok4.class,
          assertInstanceOf(NfsResop4.OpreadPlus.class, reply.resarray().get(5)).opreadPlus()).rpResok4();
      assertTrue(read.rprEof());
      List<ReadPlusContent> contents = read.rprContents();
      assertEquals(4, contents.size(), contents::toString);
      Data4 first = assertInstanceOf(ReadPlusContent.RpcData.class, contents.get(0)).rpcData();
      assertEquals(0, first.dOffset());
      assertArrayEquals("onyx".getBytes(StandardCharsets.US_ASCII), first.dData());
      assertEquals(new DataInfo4(4, 4092),
          assertInstanceOf(ReadPlusContent.RpcHole.class, contents.get(1)).rpcHole());
      Data4 allocated = assertInstanceOf(ReadPlusContent.RpcData.class, contents.get(2)).rpcData();
      assertEquals(4096, allocated.dOffset());
      assertArrayEquals(new byte[4], allocated.dData());
      assertEquals(new DataInfo4(4100, SIZE - 4100),
          assertInstanceOf(ReadPlusContent.RpcHole.class, contents.get(3)).rpcHole());

      // SEEK past the end fails with NFS4ERR_NXIO, and the COMPOUND stops there.
      Compound4res past = nfs.nfsproc4Compound(new Compound4args(tag, 2, List.of(
          new NfsArgop4.Opsequence(new Sequence4args(SESSION, 2, 0, 0, false)),
          new NfsArgop4.Opputfh(new Putfh4args(FILE)),
          new NfsArgop4.Opseek(new Seek4args(ANONYMOUS, SIZE, DataContent4.NFS4_CONTENT_DATA)),
          new NfsArgop4.OpreadPlus(new ReadPlus4args(ANONYMOUS, 0, 4)))));
      assertEquals(Nfsstat4.NFS4_ERR_NXIO, past.status());
      assertEquals(3, past.resarray().size());
      assertEquals(Nfsstat4.NFS4_ERR_NXIO, assertInstanceOf(Seek4res.Default.class,
          assertInstanceOf(NfsResop4.Opseek.class, past.resarray().get(2)).opseek()).saStatus());
      return "ok";
    }
  }
}
