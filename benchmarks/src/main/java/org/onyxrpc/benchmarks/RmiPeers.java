package org.onyxrpc.benchmarks;

import java.rmi.NoSuchObjectException;
import java.rmi.Remote;
import java.rmi.RemoteException;
import java.rmi.server.UnicastRemoteObject;

/**
 * Peer: Java RMI (JRMP, the JDK's built-in transport) in its default and only documented
 * configuration: the server object exported on an anonymous port, the client calling through its
 * stub. No registry lookup is measured: the stub comes straight from {@code exportObject}. RMI has
 * no local short-cut, so every call still crosses loopback TCP (one reused connection, TCP_NODELAY,
 * Java serialization of the arguments and result).
 */
final class RmiPeers implements AutoCloseable {
  /** The remote interface: the two-int add of {@link AddProgram#ADD}, the echo of {@link Echo}. */
  public interface Bench extends Remote {
    int add(int a, int b) throws RemoteException;

    /** Returns the bytes received: a byte[] serialized both ways. */
    byte[] echo(byte[] data) throws RemoteException;
  }

  private static final class Impl implements Bench {
    @Override
    public int add(int a, int b) {
      return a + b;
    }

    @Override
    public byte[] echo(byte[] data) {
      return data;
    }
  }

  private final Impl impl = new Impl();
  final Bench stub;

  RmiPeers() throws RemoteException {
    stub = (Bench) UnicastRemoteObject.exportObject(impl, 0);
    int sum = stub.add(AddProgram.ARGS.a(), AddProgram.ARGS.b()); // opens the connection
    if (sum != 5) {
      throw new IllegalStateException("2 + 3 = " + sum);
    }
  }

  @Override
  public void close() throws NoSuchObjectException {
    UnicastRemoteObject.unexportObject(impl, true);
  }
}
