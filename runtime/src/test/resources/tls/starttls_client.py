"""An RFC 9289 client written apart from Onyx, on Python's ssl module (OpenSSL).

Sends the AUTH_TLS probe over a raw socket, requires the STARTTLS verifier, makes a TLS 1.3
handshake on the same connection (with a client certificate), then calls inside it:
procedure 1 (void -> string) and procedure 2 (string -> string, given TEXT).
Usage: starttls_client.py HOST PORT SERVER_NAME CA CERT KEY PROGRAM VERSION TEXT
Prints "tls VERSION", then one line per result.
"""
import socket
import ssl
import struct
import sys

LAST_FRAGMENT = 0x80000000


def record(body):
    return struct.pack(">I", LAST_FRAGMENT | len(body)) + body


def recv_exact(sock, n):
    data = b""
    while len(data) < n:
        chunk = sock.recv(n - len(data))
        if not chunk:
            raise EOFError("connection closed")
        data += chunk
    return data


def read_record(sock):
    body = b""
    while True:
        (mark,) = struct.unpack(">I", recv_exact(sock, 4))
        body += recv_exact(sock, mark & ~LAST_FRAGMENT & 0xFFFFFFFF)
        if mark & LAST_FRAGMENT:
            return body


def padded(n):
    return (n + 3) & ~3


def call(xid, program, version, procedure, credential_flavor, args=b""):
    header = struct.pack(">6I", xid, 0, 2, program, version, procedure)
    return header + struct.pack(">2I", credential_flavor, 0) + struct.pack(">2I", 0, 0) + args


def accepted_results(reply, xid):
    """Checks an accepted SUCCESS reply to xid; returns (verifier body, results)."""
    rxid, mtype, reply_stat, vflavor, vlen = struct.unpack(">5I", reply[:20])
    if (rxid, mtype, reply_stat) != (xid, 1, 0):
        sys.exit("not an accepted reply to %d: %r" % (xid, reply[:20]))
    verifier = reply[20:20 + vlen]
    rest = reply[20 + padded(vlen):]
    (accept_stat,) = struct.unpack(">I", rest[:4])
    if accept_stat != 0:
        sys.exit("accept_stat %d" % accept_stat)
    return vflavor, verifier, rest[4:]


def xdr_string(text):
    data = text.encode("utf-8")
    return struct.pack(">I", len(data)) + data + b"\0" * (padded(len(data)) - len(data))


def read_string(results):
    (n,) = struct.unpack(">I", results[:4])
    return results[4:4 + n].decode("utf-8")


def main():
    host, port, server_name, ca, cert, key, program, version, text = sys.argv[1:]
    program, version = int(program, 0), int(version)
    sock = socket.create_connection((host, int(port)), timeout=30)
    sock.sendall(record(call(0x1234, program, version, 0, 7)))  # NULL with AUTH_TLS
    vflavor, verifier, _ = accepted_results(read_record(sock), 0x1234)
    if vflavor != 0 or verifier != b"STARTTLS":
        sys.exit("no STARTTLS verifier: flavor %d body %r" % (vflavor, verifier))

    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.minimum_version = ssl.TLSVersion.TLSv1_3
    context.load_verify_locations(ca)
    context.load_cert_chain(cert, key)
    tls = context.wrap_socket(sock, server_hostname=server_name)
    print("tls", tls.version())

    tls.sendall(record(call(0x1235, program, version, 1, 0)))
    print(read_string(accepted_results(read_record(tls), 0x1235)[2]))
    tls.sendall(record(call(0x1236, program, version, 2, 0, xdr_string(text))))
    print(read_string(accepted_results(read_record(tls), 0x1236)[2]))
    tls.close()


if __name__ == "__main__":
    main()
