"""A hostile RFC 9289 server for TlsSessionTicketCacheTest: takes CONNECTIONS connections one
after the other; on each it answers the AUTH_TLS probe with STARTTLS, makes a TLS 1.3 handshake
in which OpenSSL sends TICKETS NewSessionTicket messages, then answers every call SUCCESS with no
results (a NULL call's reply), until the client closes. The replies come after the tickets, so a
client whose call returned has read them all. Prints its port, then for each connection whether
its handshake resumed a session ("resumed") or not ("new").

usage: ticket_answer_server.py CERT KEY TICKETS CONNECTIONS
"""
import socket
import ssl
import struct
import sys


def record(sock):
    head = b""
    while len(head) < 4:
        chunk = sock.recv(4 - len(head))
        if not chunk:
            raise EOFError
        head += chunk
    length = struct.unpack(">I", head)[0] & 0x7FFFFFFF
    body = b""
    while len(body) < length:
        chunk = sock.recv(length - len(body))
        if not chunk:
            raise EOFError
        body += chunk
    return body


def send(sock, xid, verifier=b""):
    # MSG_ACCEPTED, an AUTH_NONE verifier, SUCCESS (RFC 5531)
    reply = xid + struct.pack(">IIII", 1, 0, 0, len(verifier)) + verifier + struct.pack(">I", 0)
    sock.sendall(struct.pack(">I", 0x80000000 | len(reply)) + reply)


def main():
    cert, key = sys.argv[1], sys.argv[2]
    tickets, connections = int(sys.argv[3]), int(sys.argv[4])
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.minimum_version = ssl.TLSVersion.TLSv1_3
    context.load_cert_chain(cert, key)
    context.num_tickets = tickets
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    print(listener.getsockname()[1], flush=True)
    for _ in range(connections):
        plain, _ = listener.accept()
        connection = plain
        try:
            send(plain, record(plain)[0:4], b"STARTTLS")
            connection = context.wrap_socket(plain, server_side=True)  # the tickets go out here
            print("resumed" if connection.session_reused else "new", flush=True)
            while True:
                send(connection, record(connection)[0:4])
        except (OSError, EOFError, ssl.SSLError):
            pass
        finally:
            connection.close()
    listener.close()


if __name__ == "__main__":
    main()
