"""A hostile RFC 9289 server for TlsSessionTicketFloodTest: answers the AUTH_TLS probe with
STARTTLS, then makes a TLS 1.3 handshake in which OpenSSL sends NewSessionTicket messages, as
many as asked, and answers no call. Prints its port, then "flooded" once the client gave up.

usage: ticket_flood_server.py CERT KEY TICKETS
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


def main():
    cert, key, tickets = sys.argv[1], sys.argv[2], int(sys.argv[3])
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    print(listener.getsockname()[1], flush=True)
    plain, _ = listener.accept()
    listener.close()  # one connection: a client that tries again finds nothing listening
    probe = record(plain)
    # MSG_ACCEPTED, an AUTH_NONE verifier holding "STARTTLS", SUCCESS (RFC 9289 section 4.1)
    reply = probe[0:4] + struct.pack(">IIII", 1, 0, 0, 8) + b"STARTTLS" + struct.pack(">I", 0)
    plain.sendall(struct.pack(">I", 0x80000000 | len(reply)) + reply)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.minimum_version = ssl.TLSVersion.TLSv1_3
    context.load_cert_chain(cert, key)
    context.num_tickets = tickets
    try:
        tls = context.wrap_socket(plain, server_side=True)  # the tickets go out here
        while tls.recv(4096):
            pass  # the call is read, and never answered
    except (OSError, ssl.SSLError):
        pass
    print("flooded", flush=True)


if __name__ == "__main__":
    main()
